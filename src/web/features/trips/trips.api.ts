import type { z } from 'zod';
import { request } from '../../api.ts';
import type {
  CreateAccessRuleSchema,
  CreateExtraSchema,
  CreateFixedItemSchema,
  CreateOverrideSchema,
  CreatePermitSchema,
  CreatePlaceSchema,
  CreateRequestSchema,
  CreateTravellerSchema,
  CreateTripSchema,
  PinResultSchema,
  PinSchema,
  PlanSchema,
  RequestGrantListSchema,
  TripDetailSchema,
  TripSchema,
  UpdateRequestSchema,
  UpdateTravellerSchema,
  UpdatePlaceSchema,
} from '../../../server/features/trips/trips.contract.ts';

// Types only come from the server's contract: the zod schemas stay out of the bundle.
export type Trip = z.infer<typeof TripSchema>;
export type TripDetail = z.infer<typeof TripDetailSchema>;
export type TripPlan = z.infer<typeof PlanSchema>;
export type PlanItem = TripPlan['items'][number];
export type PinResult = z.infer<typeof PinResultSchema>;
export type CreateTripBody = z.input<typeof CreateTripSchema>;
export type PinBody = z.input<typeof PinSchema>;
export type TripRequest = TripDetail['requests'][number];
export type RequestBody = z.input<typeof CreateRequestSchema>;
export type RemovableKind = 'places' | 'travellers' | 'travel-overrides' | 'travel-extras' | 'fixed-items' | 'access-rules' | 'permits' | 'requests';

const enc = encodeURIComponent;

export const tripsApi = {
  list: () => request<{ items: Trip[]; total: number }>('GET', '/trips'),
  get: (id: string) => request<TripDetail>('GET', `/trips/${enc(id)}`),
  create: (body: CreateTripBody) => request<TripDetail>('POST', '/trips', body),
  plan: (id: string) => request<TripPlan>('GET', `/trips/${enc(id)}/plan`),
  replan: (id: string) => request<TripPlan>('POST', `/trips/${enc(id)}/plan`),
  pin: (id: string, requestId: string, body: PinBody) => request<PinResult>('PUT', `/trips/${enc(id)}/requests/${enc(requestId)}/pin`, body),
  unpin: (id: string, requestId: string) => request<void>('DELETE', `/trips/${enc(id)}/requests/${enc(requestId)}/pin`),
  makeMeetings: (id: string) => request<{ created: Array<{ requestId: string; meetingId: string }> }>('POST', `/trips/${enc(id)}/make-meetings`),
  addPlace: (id: string, body: z.input<typeof CreatePlaceSchema>) => request<{ id: string }>('POST', `/trips/${enc(id)}/places`, body),
  addTraveller: (id: string, body: z.input<typeof CreateTravellerSchema>) => request<{ id: string }>('POST', `/trips/${enc(id)}/travellers`, body),
  addRule: (id: string, body: z.input<typeof CreateAccessRuleSchema>) => request<{ id: string }>('POST', `/trips/${enc(id)}/access-rules`, body),
  addRequest: (id: string, body: z.input<typeof CreateRequestSchema>) => request<unknown>('POST', `/trips/${enc(id)}/requests`, body),
  updateRequest: (id: string, requestId: string, body: z.input<typeof UpdateRequestSchema>) => request<TripRequest>('PATCH', `/trips/${enc(id)}/requests/${enc(requestId)}`, body),
  updatePlace: (id: string, placeId: string, body: z.input<typeof UpdatePlaceSchema>) => request<unknown>('PATCH', `/trips/${enc(id)}/places/${enc(placeId)}`, body),
  updateTraveller: (id: string, travellerId: string, body: z.input<typeof UpdateTravellerSchema>) => request<unknown>('PATCH', `/trips/${enc(id)}/travellers/${enc(travellerId)}`, body),
  addOverride: (id: string, body: z.input<typeof CreateOverrideSchema>) => request<{ id: string }>('POST', `/trips/${enc(id)}/travel-overrides`, body),
  addExtra: (id: string, body: z.input<typeof CreateExtraSchema>) => request<{ id: string }>('POST', `/trips/${enc(id)}/travel-extras`, body),
  addFixedItem: (id: string, body: z.input<typeof CreateFixedItemSchema>) => request<{ id: string }>('POST', `/trips/${enc(id)}/fixed-items`, body),
  addPermit: (id: string, ruleId: string, body: z.input<typeof CreatePermitSchema>) => request<{ id: string }>('POST', `/trips/${enc(id)}/access-rules/${enc(ruleId)}/permits`, body),
  remove: (id: string, kind: RemovableKind, itemId: string) => request<void>('DELETE', `/trips/${enc(id)}/${kind}/${enc(itemId)}`),
  grants: (id: string, requestId: string) => request<z.infer<typeof RequestGrantListSchema>>('GET', `/trips/${enc(id)}/requests/${enc(requestId)}/grants`),
  grant: (id: string, requestId: string, userId: string) => request<unknown>('POST', `/trips/${enc(id)}/requests/${enc(requestId)}/grants`, { userId }),
  revoke: (id: string, requestId: string, userId: string) => request<void>('DELETE', `/trips/${enc(id)}/requests/${enc(requestId)}/grants/${enc(userId)}`),
  icsUrl: (id: string, travellerId: string) => `/api/trips/${enc(id)}/travellers/${enc(travellerId)}/itinerary.ics`,
};

export const tripKeys = {
  all: ['trips'] as const,
  list: () => ['trips', 'list'] as const,
  one: (id: string) => ['trips', 'one', id] as const,
  plan: (id: string) => ['trips', 'plan', id] as const,
  grants: (id: string, requestId: string) => ['trips', 'grants', id, requestId] as const,
};

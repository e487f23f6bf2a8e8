import { z } from '@hono/zod-openapi';

// Check-in at the door (issue 12, items 9–13 and 16): pairing a volunteer's phone to an event and a gate, the
// scans it posts (online one by one, offline in batches), the ticket list it holds for offline use, and what staff
// see (devices, live totals, conflicts).

const Iso = z.string().openapi({ format: 'date-time' });
const LocalizedOut = z.record(z.string(), z.string());

/** A batch holds at most this many scans (an offline phone uploads in batches of this size). */
export const MAX_SCANS_PER_BATCH = 1000;
/** A pairing code may be exchanged for this long after it was made. */
export const PAIRING_MINUTES = 30;

export const SCAN_RESULTS = ['admitted', 'already_admitted', 'invalid', 'wrong_event', 'cancelled', 'conflict'] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];

const GateSchema = z.string().trim().min(1, 'Required').max(60, 'At most 60 characters');

// ---------- staff: devices ----------

export const CreateDeviceSchema = z
  .strictObject({
    gate: GateSchema.openapi({ example: 'South' }),
    label: z.string().trim().min(1, 'Required').max(60, 'At most 60 characters').openapi({ example: 'phone 3' }),
  })
  .openapi('CreateCheckinDevice');

export const DeviceSchema = z
  .object({
    id: z.string(),
    gate: z.string(),
    label: z.string(),
    /** pending: waiting for a phone to take the pairing code; paired; expired: the code ran out unused; revoked */
    status: z.enum(['pending', 'paired', 'expired', 'revoked']),
    pairingExpiresAt: Iso.nullable(),
    pairedAt: Iso.nullable(),
    lastSeenAt: Iso.nullable(),
    revokedAt: Iso.nullable(),
    createdAt: Iso,
    /** scans this device made */
    scans: z.number().int(),
  })
  .openapi('CheckinDevice');

export const DevicePairingSchema = z
  .object({
    device: DeviceSchema,
    /** the one-time pairing code (shown once: only its hash is kept); a phone exchanges it at POST /api/checkin/pair */
    pairingCode: z.string().openapi({ example: 'K7QM-3XPA-9D2F' }),
    /** what the pairing QR code carries: /checkin with the code in the fragment (never sent to a server by the browser) */
    pairingUrl: z.string(),
  })
  .openapi('CheckinDevicePairing');

export const DeviceListSchema = z.object({ items: z.array(DeviceSchema) }).openapi('CheckinDeviceList');

// ---------- the phone ----------

export const PairSchema = z
  .strictObject({
    code: z.string().trim().min(1, 'Required').max(40, 'At most 40 characters').openapi({ example: 'K7QM-3XPA-9D2F' }),
  })
  .openapi('CheckinPair');

export const DeviceEventSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: LocalizedOut,
    startsAt: Iso,
    endsAt: Iso,
    timeZone: z.string(),
    gates: z.array(z.string()),
    /** the event's Ed25519 public key (raw, base64url): the phone verifies ticket codes with it, offline too */
    publicKey: z.string(),
  })
  .openapi('CheckinEvent');

export const WhoAmISchema = z
  .object({
    device: z.object({ id: z.string(), label: z.string(), gate: z.string() }),
    event: DeviceEventSchema,
  })
  .openapi('CheckinDeviceSelf');

export const PairedSchema = WhoAmISchema.extend({
  /** the device token: send it as `Authorization: Bearer <token>`; shown once (only its hash is kept) */
  token: z.string(),
}).openapi('CheckinPaired');

const NonceSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, 'A nonce is 16 to 64 letters, digits, - or _ (a UUID or 128 random bits in base64url)')
  .openapi({ example: '0d3f1c8e-6a55-4f7e-9d7a-9a1b2c3d4e5f' });

export const ScanInputSchema = z
  .strictObject({
    nonce: NonceSchema,
    /** the ticket's QR code as scanned; absent for a manual admission (ticketId instead) */
    code: z.string().max(400, 'At most 400 characters').optional(),
    /** manual admission after a search by name */
    ticketId: z.string().max(100).optional(),
    scannedAt: z.iso.datetime({ offset: true, message: 'An ISO 8601 date and time' }),
    gate: GateSchema,
    offline: z.boolean(),
  })
  .refine((s) => (s.code === undefined) !== (s.ticketId === undefined), { message: 'Give either code or ticketId', path: ['code'] })
  .openapi('CheckinScanInput');

export const ScanBatchSchema = z
  .strictObject({
    scans: z.array(ScanInputSchema).min(1, 'At least one scan').max(MAX_SCANS_PER_BATCH, `At most ${MAX_SCANS_PER_BATCH} scans a batch`),
  })
  .openapi('CheckinScanBatch');

export const ScanResultSchema = z
  .object({
    nonce: z.string(),
    result: z.enum(SCAN_RESULTS),
    ticketId: z.string().nullable(),
    /** who holds the ticket, to show at the door (only for a ticket of this event) */
    name: z.string().nullable(),
    ticketType: LocalizedOut.nullable(),
    /** for already_admitted and conflict: the admission that came first */
    admitted: z.object({ at: Iso, gate: z.string(), device: z.string().nullable() }).nullable(),
  })
  .openapi('CheckinScanResult');

export const ScanResultsSchema = z.object({ results: z.array(ScanResultSchema) }).openapi('CheckinScanResults');

/** `GET /api/checkin/tickets?since=<cursor>`: the cursor a previous list answered (opaque) */
export const TicketListQuerySchema = z.object({
  since: z
    .string()
    .regex(/^v1-[0-9a-z]{1,12}$/, 'A cursor from a previous ticket list')
    .optional()
    .openapi({ description: 'The `cursor` of a previous list: only the tickets that changed since then (created, cancelled, renamed, admitted)' }),
});

export const TicketListSchema = z
  .object({
    /** when the list was read: a phone asks again for what changed later */
    asOf: Iso,
    /** for the next request's `since` (it overlaps the previous read by a little, so nothing committed late is missed) */
    cursor: z.string(),
    /** true: `tickets` holds only the tickets that changed since the cursor asked for (merge them by id); false: every ticket */
    changesOnly: z.boolean(),
    publicKey: z.string(),
    ticketTypes: z.array(z.object({ id: z.string(), name: LocalizedOut })),
    tickets: z.array(
      z.object({
        id: z.string(),
        /** the code's version: a code of an older version does not admit */
        version: z.number().int(),
        status: z.enum(['valid', 'cancelled']),
        ticketTypeId: z.string(),
        name: z.string(),
        /** the name folded as Network's search folds names (case, accents, points and diacritics, final letters) */
        search: z.string(),
        /** already admitted (by any phone), when the list was read */
        admittedAt: Iso.nullable(),
      }),
    ),
  })
  .openapi('CheckinTicketList');

// ---------- staff: totals and conflicts ----------

/** same_person: the holder came through twice (a re-entry, a phone behind on its list); two_people: one ticket let two people in */
export const CONFLICT_RESOLUTIONS = ['same_person', 'two_people'] as const;
const ConflictResolutionSchema = z
  .object({
    resolution: z.enum(CONFLICT_RESOLUTIONS),
    note: z.string().nullable(),
    by: z.string().nullable(),
    at: Iso,
  })
  .openapi('CheckinConflictResolution');
export const ResolvedConflictSchema = z
  .object({
    scanId: z.string(),
    resolution: ConflictResolutionSchema,
    /** two_people, answered for the first time: the ticket's code was made again with this version (the copy is refused) */
    reissuedVersion: z.number().int().nullable(),
  })
  .openapi('ResolvedCheckinConflict');

export const CheckinTotalsSchema = z
  .object({
    tickets: z.number().int(),
    admitted: z.number().int(),
    conflicts: z.number().int(),
    /** conflicts staff have not resolved yet */
    unresolvedConflicts: z.number().int(),
    refused: z.number().int(),
    byGate: z.array(z.object({ gate: z.string(), admitted: z.number().int(), refused: z.number().int() })),
    byTicketType: z.array(z.object({ ticketTypeId: z.string(), name: LocalizedOut, tickets: z.number().int(), admitted: z.number().int() })),
    byCohost: z.array(z.object({ organisationId: z.string().nullable(), organisationName: z.string().nullable(), tickets: z.number().int(), admitted: z.number().int() })),
    conflictList: z.array(
      z.object({
        scanId: z.string(),
        ticketId: z.string().nullable(),
        name: z.string().nullable(),
        scannedAt: Iso,
        receivedAt: Iso,
        gate: z.string(),
        device: z.string().nullable(),
        admitted: z.object({ at: Iso, gate: z.string(), device: z.string().nullable() }).nullable(),
        /** how staff resolved it (null: not yet); the note only for staff and admins */
        resolution: ConflictResolutionSchema.nullable(),
      }),
    ),
  })
  .openapi('CheckinTotals');

export const ResolveConflictSchema = z
  .strictObject({
    resolution: z.enum(CONFLICT_RESOLUTIONS),
    /** what staff found out (free text: it may name people, so only staff and admins read it) */
    note: z.string().trim().max(500, 'At most 500 characters').optional(),
  })
  .openapi('ResolveCheckinConflict');

export type CreateDeviceInput = z.infer<typeof CreateDeviceSchema>;
export type DeviceDto = z.infer<typeof DeviceSchema>;
export type ScanInput = z.infer<typeof ScanInputSchema>;
export type ScanResultDto = z.infer<typeof ScanResultSchema>;
export type TicketList = z.infer<typeof TicketListSchema>;
export type CheckinTotals = z.infer<typeof CheckinTotalsSchema>;
export type ResolveConflictInput = z.infer<typeof ResolveConflictSchema>;
export type ResolvedConflict = z.infer<typeof ResolvedConflictSchema>;
export type WhoAmI = z.infer<typeof WhoAmISchema>;

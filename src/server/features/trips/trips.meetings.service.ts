import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { tripRequestVisible, tripWriter } from '../../access/trips.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { createMeeting } from '../meetings/meetings.service.ts';
import { tripPlace, tripPlan, tripRequest, tripRequestParty, tripTraveller } from './trips.schema.ts';
import { loadTrip } from './trips.service.ts';

// "Make meetings" (issue 14 item 9): each planned item the actor may see, not made before, becomes a Network meeting
// with its counterparts (organisations and people), the travellers as staff present, the place and the trip's zone.
// Meetings have no draft state: the notes say it was drafted from the plan, for staff to complete after it is held.

export async function makeMeetings(db: Db, ctx: RequestContext, tripId: string): Promise<{ created: Array<{ requestId: string; meetingId: string }> }> {
  const actor = tripWriter(ctx);
  const t = await loadTrip(db, tripId);
  const [stored] = await db.select().from(tripPlan).where(eq(tripPlan.tripId, tripId));
  const items = stored?.plan.items ?? [];
  if (!items.length) return { created: [] };
  const requests = await db
    .select()
    .from(tripRequest)
    .where(
      and(
        eq(tripRequest.tripId, tripId),
        isNull(tripRequest.meetingId),
        inArray(
          tripRequest.id,
          items.map((i) => i.requestId),
        ),
        tripRequestVisible(actor, tripRequest),
      ),
    );
  if (!requests.length) return { created: [] };
  const parties = await db
    .select()
    .from(tripRequestParty)
    .where(
      inArray(
        tripRequestParty.requestId,
        requests.map((r) => r.id),
      ),
    );
  const places = new Map((await db.select().from(tripPlace).where(eq(tripPlace.tripId, tripId))).map((p) => [p.id, p]));
  const users = new Map((await db.select({ id: tripTraveller.id, userId: tripTraveller.userId }).from(tripTraveller).where(eq(tripTraveller.tripId, tripId))).map((x) => [x.id, x.userId]));
  const created: Array<{ requestId: string; meetingId: string }> = [];
  await db.transaction(async (tx) => {
    for (const r of requests) {
      const item = items.find((i) => i.requestId === r.id)!;
      const place = places.get(item.placeId);
      const m = await createMeeting(tx, ctx, {
        kind: r.format === 'one_on_one' ? 'one_on_one' : 'group',
        title: r.title,
        startsAt: item.startsAt,
        endsAt: item.endsAt,
        timeZone: t.timeZone,
        city: place?.area ?? null,
        venue: place && place.kind !== 'online' ? place.name : null,
        online: place?.kind === 'online',
        notes: `Drafted from the plan of the trip "${t.name}".`,
        restricted: r.restricted,
        organisations: parties.filter((p) => p.requestId === r.id && p.organisationId).map((p) => ({ organisationId: p.organisationId!, role: 'participant' as const })),
        people: parties.filter((p) => p.requestId === r.id && p.personId).map((p) => ({ personId: p.personId!, role: 'participant' })),
        staffIds: item.travellerIds.map((id) => users.get(id)).filter((x): x is string => !!x),
        topicIds: [],
      } as never);
      await tx.update(tripRequest).set({ meetingId: m.id }).where(eq(tripRequest.id, r.id));
      created.push({ requestId: r.id, meetingId: m.id });
    }
    await recordAudit(tx, ctx, { action: 'trip.make_meetings', entityType: 'trip', entityId: tripId, detail: { made: created.length } });
  });
  return { created };
}

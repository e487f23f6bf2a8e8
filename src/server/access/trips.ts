import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { RequestContext } from '../core/context.ts';
import { personVisible } from './need-to-know.ts';
import { authorize, type Actor } from './roles.ts';

// Need-to-know for trips (issue 14 item 10, docs/trips.md). A trip and its places, travellers and rules are seen
// by every reader of trips. A meeting request is seen by whoever sees every Network person it involves and, when it
// is restricted, only by admins, its creator, the travellers on it and the users granted it (access_grant with
// record_type 'trip_request'). Who may not see a request does not see it in lists or counts; in a plan its slot
// shows as "confidential meeting", with no title, place or counterpart.

const TRUE = sql`true`;

/** A trip_request row (by its columns) the actor may see. */
export function tripRequestVisible(actor: Actor, r: { id: SQLWrapper; restricted: SQLWrapper; createdBy: SQLWrapper }): SQL {
  if (actor.role === 'admin') return TRUE;
  return sql`((${r.restricted} = false OR ${r.createdBy} = ${actor.id}
      OR EXISTS (SELECT 1 FROM trip_request_traveller vrt JOIN trip_traveller vtt ON vtt.id = vrt.traveller_id WHERE vrt.request_id = ${r.id} AND vtt.user_id = ${actor.id})
      OR EXISTS (SELECT 1 FROM access_grant vrg WHERE vrg.record_type = 'trip_request' AND vrg.record_id = ${r.id} AND vrg.user_id = ${actor.id}))
    AND NOT EXISTS (SELECT 1 FROM trip_request_party vrp WHERE vrp.request_id = ${r.id} AND vrp.person_id IS NOT NULL AND NOT ${personVisible(actor, sql`vrp.person_id`)}))`;
}

export function tripReader(ctx: RequestContext): Actor {
  authorize(ctx.actor, 'trips.read');
  return ctx.actor;
}

export function tripWriter(ctx: RequestContext): Actor {
  authorize(ctx.actor, 'trips.write');
  return ctx.actor;
}

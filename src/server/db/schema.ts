// Every feature's tables, for the Drizzle client (relational queries) and better-auth's adapter.
import * as access from '../access/access.schema.ts';
import * as accounts from '../features/accounts/accounts.schema.ts';
import * as audit from '../features/audit/audit.schema.ts';
import * as calendar from '../features/calendar/calendar.schema.ts';
import * as dialogues from '../features/dialogues/dialogues.schema.ts';
import * as events from '../features/events/events.schema.ts';
import * as erasure from '../features/network/erasure.schema.ts';
import * as segments from '../features/insights/segments.schema.ts';
import * as meetings from '../features/meetings/meetings.schema.ts';
import * as network from '../features/network/network.schema.ts';
import * as studies from '../features/studies/studies.schema.ts';
import * as updates from '../features/updates/updates.schema.ts';
import * as runtime from '../runtime/rate-limits.schema.ts';

export const schema = { ...accounts, ...audit, ...network, ...access, ...erasure, ...meetings, ...segments, ...calendar, ...dialogues, ...studies, ...events, ...updates, ...runtime };
export type Schema = typeof schema;

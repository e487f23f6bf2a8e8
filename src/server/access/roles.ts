import { AppError } from '../core/errors.ts';

export const ROLES = ['admin', 'staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: a signed-in user, as the policy module sees them. */
export type Actor = {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
  timeZone: string;
  twoFactorEnabled: boolean;
  sessionId: string;
  createdAt: string;
};

/**
 * Every action in the app, and who may take it. Features add their own lines here so that one table
 * answers "who may do what"; restricted records add need-to-know checks on top (see canSeeRestricted).
 */
const rules = {
  'users.manage': ['admin'],
  'users.list': ['admin'],
  'audit.read': ['admin'],
  'settings.manage': ['admin'],
  /** background jobs: see, retry and cancel them (src/server/jobs) */
  'jobs.manage': ['admin'],
  'pillars.read': ['admin', 'staff', 'viewer'],
  'pillars.write': ['admin', 'staff'],
  /** campaigns (docs/campaigns.md): need-to-know on top, in access/campaigns.ts */
  'campaigns.read': ['admin', 'staff', 'viewer'],
  'campaigns.write': ['admin', 'staff'],
  /** research: dialogues and message tests (their figures; never who a participant is) */
  'research.read': ['admin', 'staff', 'viewer'],
  'research.write': ['admin', 'staff'],
  /** deleting a dialogue or a study deletes what participants entered */
  'research.delete': ['admin'],
  /** events (issue 12): events, their ticket types, co-hosts, links, questions and totals (figures, never a registrant) */
  'events.read': ['admin', 'staff', 'viewer'],
  'events.manage': ['admin', 'staff'],
  /** registrants' names, emails and answers (viewers see totals only) */
  'events.contacts': ['admin', 'staff'],
  /** trips (issue 14): a week of meetings for travelling staff; need-to-know on requests in access/trips.ts */
  'trips.read': ['admin', 'staff', 'viewer'],
  'trips.write': ['admin', 'staff'],
  /** updates (issue 15): news posts; viewers read drafts, staff write and publish (a second person when the admin requires it) */
  'updates.read': ['admin', 'staff', 'viewer'],
  'updates.write': ['admin', 'staff'],
  'updates.publish': ['admin', 'staff'],
  /** erasure on request: a person's or an organisation's data replaced by a tombstone everywhere (docs/erasure.md) */
  'records.erase': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof rules;

export function can(actor: Actor | null, action: Action): boolean {
  return !!actor && (rules[action] as readonly Role[]).includes(actor.role);
}

/** Throws 401 without an actor and 403 without the right. */
export function authorize(actor: Actor | null, action: Action): asserts actor is Actor {
  if (!actor) throw new AppError('unauthenticated', 'not_signed_in', 'Sign in first.');
  if (!can(actor, action)) throw new AppError('forbidden', 'forbidden', 'Your role does not allow this.');
}

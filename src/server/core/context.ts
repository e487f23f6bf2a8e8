import type { Actor } from '../access/roles.ts';

/** What a service needs to know about the request it serves: who, and from where (for the audit log). */
export type RequestContext = {
  actor: Actor | null;
  ip: string;
  userAgent: string;
};

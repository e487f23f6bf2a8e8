import type { RequestContext } from '../core/context.ts';
import { authorize, type Actor } from './roles.ts';

// Research (dialogues and message tests): staff read and write, viewers read; participants and respondents have no
// account and reach only the public pages. No need-to-know here: research records carry no one's identity.

/** Signed in and allowed to read research; returns the actor. */
export function researchReader(ctx: RequestContext): Actor {
  authorize(ctx.actor, 'research.read');
  return ctx.actor;
}

/** Signed in and allowed to write research; returns the actor. */
export function researchWriter(ctx: RequestContext): Actor {
  authorize(ctx.actor, 'research.write');
  return ctx.actor;
}

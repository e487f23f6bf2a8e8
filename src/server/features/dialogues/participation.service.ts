// Taking part in a dialogue, for the JSON API (participation.routes.ts) and the public pages
// (participation.pages.ts) alike. One module per part:
//   participation.invites.ts   an invite link: the dialogue, what a participant may see, write to and vote on
//   participation.identity.ts  who takes part: joining, continuing with a resume code, the reader's language
//   participation.participant.ts  a participant by their cookie token (beneath the others)
//   participation.next.ts      what comes next: polls, statements by the routing rule, pairs
//   participation.writes.ts    votes, statements, poll answers, pairs
//   participation.results.ts   per-segment results, when the facilitator shows them
//   participation.runtime.ts   what one app server keeps in memory (vote writer, short caches): one per app
export * from './participation.identity.ts';
export * from './participation.invites.ts';
export * from './participation.next.ts';
export * from './participation.results.ts';
export { ParticipationRuntime } from './participation.runtime.ts';
export * from './participation.writes.ts';

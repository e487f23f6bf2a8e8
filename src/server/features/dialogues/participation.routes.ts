import { titleFor } from './dialogue-title.ts';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import { clientIp } from '../../http/security.ts';
import type { AppEnv } from '../../http/context.ts';
import type { PublicRuntime } from '../../public/runtime.ts';
import type { DialogueDeps } from './deps.ts';
import {
  EntrySchema,
  InviteParamSchema,
  JoinSchema,
  JoinedSchema,
  LanguageQuerySchema,
  NextSchema,
  OkSchema,
  PairwiseSchema,
  PollAnswerSchema,
  PollParamSchema,
  ResultsSchema,
  ResumeSchema,
  ResumedSchema,
  VoteSchema,
  VotedSchema,
  WriteStatementSchema,
  WrittenSchema,
} from './participation.contract.ts';
import * as participation from './participation.service.ts';
import { participantCookies, participantTokenFrom } from './participation.token.ts';

const tags = ['Taking part'];
const security: { [k: string]: string[] }[] = [];
const cookieNote = 'The participant is identified by the cookie set on joining (HttpOnly, SameSite=Lax, scoped to this invite).';
const closedNote =
  'Stored only if the session is open and the link not withdrawn at the instant it is stored: else 410 session_closed, 404 session_not_open (not open yet) or 410 invite_revoked, and nothing is stored.';

/**
 * Taking part in a dialogue without an account: join through an invite link, vote, write, answer polls.
 * The public pages (participation.pages.ts) call the same service functions.
 */
export function participationRoutes(deps: DialogueDeps & { runtime: PublicRuntime }) {
  const { db } = deps;
  const rt = deps.runtime.participation;
  const secure = deps.publicUrl.startsWith('https://');
  const r = newRouter();

  const ip = (c: Context<AppEnv>) => c.get('ctx')?.ip ?? clientIp(c, false);
  const participantOf = (c: Context<AppEnv>) => participation.participantByToken(db, participantTokenFrom(c.req.header('cookie')));
  const setCookies = (c: Context<AppEnv>, inviteToken: string, token: string) => {
    for (const cookie of participantCookies(inviteToken, token, { secure })) c.header('set-cookie', cookie, { append: true });
  };
  /** the invite, and the participant of its dialogue (401 otherwise) */
  const joined = async (c: Context<AppEnv>, inviteToken: string) => {
    const [ctx, p] = await Promise.all([participation.loadInvite(db, inviteToken), participantOf(c)]);
    return { ctx, p: participation.requireParticipant(ctx, p) };
  };

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getParticipation',
      path: '/participate/{inviteToken}',
      tags,
      security,
      summary: 'What an invite link leads to: the dialogue intro, its languages, the segments to choose from',
      request: { params: InviteParamSchema, query: LanguageQuerySchema },
      responses: { 200: json(EntrySchema, 'The entry'), ...problems(400, 404, 410) },
    }),
    async (c) => {
      const { inviteToken } = c.req.valid('param');
      const [ctx, p] = await Promise.all([participation.loadInvite(db, inviteToken), participantOf(c)]);
      const lang = participation.readerLanguage(ctx, c.req.valid('query').language ?? p?.language);
      const intro = participation.localized(ctx.dialogue.intro, lang, ctx.dialogue.languages);
      return c.json(
        {
          title: titleFor(ctx.dialogue.title, lang, ctx.dialogue.languages),
          intro: intro || null,
          languages: ctx.dialogue.languages as ('he' | 'ar' | 'en')[],
          segmentId: ctx.invite.segmentId,
          segments: ctx.invite.segmentId ? [] : participation.segmentChoices(ctx, lang),
          open: participation.inviteIsOpen(ctx),
          resultsVisible: ctx.dialogue.resultsVisible,
          pairwise: ctx.dialogue.pairwise,
          joined: !!p && p.dialogueId === ctx.dialogue.id,
        },
        200,
      );
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'joinDialogue',
      path: '/participate/{inviteToken}/join',
      tags,
      security,
      summary: 'Take part: creates an anonymous participant, sets its cookie and returns the resume code (shown once)',
      description: `${cookieNote} Only SHA-256 hashes of the cookie token and of the resume code are stored. Rate-limited per address.`,
      request: { params: InviteParamSchema, body: jsonBody(JoinSchema) },
      responses: { 201: json(JoinedSchema, 'Joined; the cookie is set'), ...problems(400, 404, 410, 429) },
    }),
    async (c) => {
      const { inviteToken } = c.req.valid('param');
      const ctx = await participation.loadInvite(db, inviteToken);
      const { token, resumeCode, participant } = await participation.join(db, rt, ctx, c.req.valid('json'), ip(c));
      setCookies(c, inviteToken, token);
      return c.json({ resumeCode, language: participant.language, segmentId: participant.segmentId }, 201);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'resumeParticipation',
      path: '/participate/{inviteToken}/resume',
      tags,
      security,
      summary: 'Continue on this device with a resume code: sets a new cookie (the previous device needs the code again)',
      description: 'Rate-limited per address and per dialogue, so codes cannot be guessed.',
      request: { params: InviteParamSchema, body: jsonBody(ResumeSchema) },
      responses: { 200: json(ResumedSchema, 'Resumed; the cookie is set'), ...problems(400, 404, 410, 429) },
    }),
    async (c) => {
      const { inviteToken } = c.req.valid('param');
      const ctx = await participation.loadInvite(db, inviteToken);
      const { token, participant } = await participation.resume(db, rt, ctx, c.req.valid('json').code, ip(c));
      setCookies(c, inviteToken, token);
      return c.json({ language: participant.language, segmentId: participant.segmentId }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getNextStatement',
      path: '/participate/{inviteToken}/next',
      tags,
      security,
      summary: 'The next thing to do: a poll, a statement to vote on (by the routing rule), a pair to compare, or done; with progress',
      description: `${cookieNote} Statements come in the reader language when translated, always with the original.`,
      request: { params: InviteParamSchema, query: LanguageQuerySchema },
      responses: { 200: json(NextSchema, 'Next'), ...problems(400, 401, 404, 410) },
    }),
    async (c) => {
      const { ctx, p } = await joined(c, c.req.valid('param').inviteToken);
      const lang = participation.readerLanguage(ctx, c.req.valid('query').language ?? p.language);
      return c.json(await participation.nextFor(db, rt, ctx, p, lang), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'castVote',
      path: '/participate/{inviteToken}/votes',
      tags,
      security,
      summary: 'Agree (1), disagree (-1) or pass (0) on a statement; a later vote replaces the earlier one',
      description: `${cookieNote} Never on one's own statements. Acknowledged once stored (votes are written in batches; the batch's instant decides). ${closedNote} Rate-limited per participant.`,
      request: { params: InviteParamSchema, body: jsonBody(VoteSchema) },
      responses: { 200: json(VotedSchema, 'Stored'), ...problems(400, 401, 403, 404, 410, 422, 429) },
    }),
    async (c) => {
      const { inviteToken } = c.req.valid('param');
      const input = c.req.valid('json');
      const p = await rt.votingParticipant(participantTokenFrom(c.req.header('cookie')));
      if (!p) throw participation.notJoined();
      await participation.castVote(rt, inviteToken, p, input);
      return c.json({ statementId: input.statementId, value: input.value }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'submitStatement',
      path: '/participate/{inviteToken}/statements',
      tags,
      security,
      summary: 'Write a statement answering an open question (in pre-moderation it appears after review)',
      description: `${cookieNote} Its language is detected from its script; translations follow in the background. ${closedNote} Rate-limited per participant.`,
      request: { params: InviteParamSchema, body: jsonBody(WriteStatementSchema) },
      responses: { 201: json(WrittenSchema, 'Stored'), ...problems(400, 401, 403, 404, 410, 429) },
    }),
    async (c) => {
      const { ctx, p } = await joined(c, c.req.valid('param').inviteToken);
      return c.json(await participation.writeStatement(db, rt.limits, deps.translate, ctx, p, c.req.valid('json')), 201);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'answerPoll',
      path: '/participate/{inviteToken}/polls/{questionId}',
      tags,
      security,
      summary: 'Answer a poll: choices (option ids) or a point on the scale; a later answer replaces the earlier one',
      description: `${cookieNote} ${closedNote}`,
      request: { params: PollParamSchema, body: jsonBody(PollAnswerSchema) },
      responses: { 200: json(OkSchema, 'Stored'), ...problems(400, 401, 403, 404, 410) },
    }),
    async (c) => {
      const { inviteToken, questionId } = c.req.valid('param');
      const { ctx, p } = await joined(c, inviteToken);
      await participation.answerPoll(db, ctx, p, questionId, c.req.valid('json'));
      return c.json({ ok: true as const }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'choosePairwise',
      path: '/participate/{inviteToken}/pairwise',
      tags,
      security,
      summary: 'Which of these two statements do you prefer?',
      description: `${cookieNote} ${closedNote}`,
      request: { params: InviteParamSchema, body: jsonBody(PairwiseSchema) },
      responses: { 201: json(OkSchema, 'Stored'), ...problems(400, 401, 403, 404, 410) },
    }),
    async (c) => {
      const { ctx, p } = await joined(c, c.req.valid('param').inviteToken);
      await participation.choosePair(db, ctx, p, c.req.valid('json'));
      return c.json({ ok: true as const }, 201);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getParticipationResults',
      path: '/participate/{inviteToken}/results',
      tags,
      security,
      summary: 'Per-segment agree rates of the statements, when the facilitator shows results',
      request: { params: InviteParamSchema, query: LanguageQuerySchema },
      responses: { 200: json(ResultsSchema, 'Results'), ...problems(400, 403, 404, 410) },
    }),
    async (c) => {
      const { inviteToken } = c.req.valid('param');
      const [ctx, p] = await Promise.all([participation.loadInvite(db, inviteToken), participantOf(c)]);
      const lang = participation.readerLanguage(ctx, c.req.valid('query').language ?? p?.language);
      return c.json(await participation.results(db, ctx, lang), 200);
    },
  );

  return r;
}

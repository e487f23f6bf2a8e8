import path from 'node:path';
import type { Context } from 'hono';
import { AppError } from '../../core/errors.ts';
import { askedLanguage, preferredLanguage } from '../../public/language.ts';
import { clientAddress, formBody, page, publicPageSet, see, str, type FormBody } from '../../public/pages.ts';
import type { PublicRuntime } from '../../public/runtime.ts';
import { cookieValue } from '../../public/tokens.ts';
import type { DialogueDeps } from './deps.ts';
import type { DialogueLanguage } from './dialogues.contract.ts';
import { PollAnswerSchema, VoteSchema, WriteStatementSchema } from './participation.contract.ts';
import * as participation from './participation.service.ts';
import { CODE_FLASH_COOKIE, codeFlashCookie, participantCookies, participantTokenFrom } from './participation.token.ts';
import { entryView, messageView, resultsView, resumeView, takingPartView, tr, type PageFrame } from './participation.views.ts';

// The public pages under /p: /p/{invite} (entry, or the statement to vote on once joined), /p/{invite}/resume,
// /p/{invite}/results, the form posts (each answers 303 to the next page), and /p/assets/* (one script, one
// stylesheet, named by their content hash and cached for a year).

const publicDir = path.join(import.meta.dirname, 'public');

export function participationPages(deps: DialogueDeps & { runtime: PublicRuntime }) {
  const { db } = deps;
  const rt = deps.runtime.participation;
  const { app, assets, secure } = publicPageSet(deps.publicUrl, { dir: publicDir, name: 'participate', mount: '/p' }, (c, lang, bodyKey) =>
    messageView(bareFrame(c, lang), tr(lang, 'error.title'), tr(lang, bodyKey)),
  );

  const participantOf = (c: Context) => participation.participantByToken(db, participantTokenFrom(c.req.header('cookie')));
  /** ?lang=, else the browser's preference among the dialogue's languages */
  const entryLang = (c: Context, ctx: participation.InviteContext) => preferredLanguage(c, ctx.dialogue.languages as DialogueLanguage[]);
  const bareFrame = (c: Context, lang: DialogueLanguage): PageFrame => ({ lang, assets, inviteToken: c.req.param('token') ?? '', dialogueTitle: '', languages: [], joined: false });
  const frame = (ctx: participation.InviteContext, lang: DialogueLanguage, joined: boolean): PageFrame => ({
    lang,
    assets,
    inviteToken: ctx.invite.token,
    dialogueTitle: ctx.dialogue.title,
    languages: ctx.dialogue.languages as DialogueLanguage[],
    joined,
  });
  /** An error as a page in the reader's language: not found, withdrawn, not open, closed, slow down, or a generic one. */
  const errorPage = (c: Context, err: unknown, ctx?: participation.InviteContext, lang?: DialogueLanguage) => {
    if (!(err instanceof AppError)) throw err;
    const token = c.req.param('token') ?? '';
    const l: DialogueLanguage = lang ?? (ctx ? participation.readerLanguage(ctx, askedLanguage(c)) : (askedLanguage(c) ?? 'en'));
    const f: PageFrame = ctx ? frame(ctx, l, false) : bareFrame(c, l);
    const t = (k: string, vars?: Record<string, string>) => tr(l, k, vars);
    if (err.code === 'not_joined') return see(`/p/${token}`);
    if (err.code === 'rate_limited') {
      const seconds = err.headers?.['retry-after'] ?? '60';
      return page(messageView(f, t('slowDown.title'), t('slowDown.body', { seconds })), 429, { 'retry-after': seconds });
    }
    // what the participant wrote arrived after its session closed (or before it opened): it was not stored
    if (err.code === 'session_closed' || err.code === 'session_not_open') {
      const key = err.code === 'session_closed' ? 'sessionClosed' : 'closed';
      return page(messageView(f, t(`${key}.title`), t(`${key}.body`), { href: `/p/${token}`, label: t('sessionClosed.continue') }), err.status);
    }
    const known: Record<string, string> = { invite_not_found: 'notFound', invite_revoked: 'revoked', dialogue_not_open: 'closed' };
    const key = known[err.code];
    if (key) {
      const link = err.code === 'dialogue_not_open' && ctx?.dialogue.resultsVisible ? { href: `/p/${token}/results?lang=${l}`, label: t('results.link') } : undefined;
      return page(messageView(f, t(`${key}.title`), t(`${key}.body`), link), err.status);
    }
    return page(messageView(f, t('error.title'), t('error.body'), { href: `/p/${token}`, label: t('error.back') }), err.status);
  };

  /** The invite, the participant (null when not joined), or the error page. */
  const load = async (c: Context) => {
    const [ctx, p] = await Promise.all([participation.loadInvite(db, c.req.param('token')!), participantOf(c)]);
    return { ctx, p: p && p.dialogueId === ctx.dialogue.id ? p : null };
  };

  type Act = (c: Context, ctx: participation.InviteContext, p: participation.Participant, body: FormBody) => Promise<Response>;
  /** A form post of a joined participant (else back to the entry); a refusal is a page in their language. */
  const participantPost = (act: Act) => async (c: Context) => {
    let ctx: participation.InviteContext | undefined;
    let lang: DialogueLanguage | undefined;
    try {
      const loaded = await load(c);
      ctx = loaded.ctx;
      const p = participation.requireParticipant(ctx, loaded.p);
      lang = participation.readerLanguage(ctx, p.language);
      return await act(c, ctx, p, await formBody(c));
    } catch (err) {
      // a withdrawn link has no dialogue to read the language from: the participant's own, from their cookie
      lang ??= (await participantOf(c).catch(() => null))?.language;
      return errorPage(c, err, ctx, lang);
    }
  };

  const renderTakingPart = async (c: Context, ctx: participation.InviteContext, p: participation.Participant, extra: Partial<Parameters<typeof takingPartView>[1]> = {}, status = 200) => {
    const lang = participation.readerLanguage(ctx, p.language);
    if (!participation.inviteIsOpen(ctx)) throw new AppError('not_found', 'dialogue_not_open');
    let next = await participation.nextFor(db, rt, ctx, p, lang);
    // "show original" without JavaScript: the same statement again, the other way round
    const pinned = c.req.query('s');
    if (pinned && /^[0-9a-f-]{36}$/i.test(pinned)) {
      const v = await participation.visibleStatement(db, ctx, p, pinned, lang);
      if (v) next = { ...next, item: { kind: 'statement', prompt: v.prompt, statement: v.statement } };
    }
    const flash = cookieValue(c.req.header('cookie'), CODE_FLASH_COOKIE);
    const written = c.req.query('written');
    const body = takingPartView(frame(ctx, lang, true), {
      next,
      resultsVisible: ctx.dialogue.resultsVisible,
      code: flash && /^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(flash) ? flash : null,
      written: written === 'pre' || written === 'post' ? written : null,
      showOriginal: c.req.query('show') === 'original',
      ...extra,
    });
    return page(body, status, flash ? { 'set-cookie': codeFlashCookie(ctx.invite.token, null, { secure }) } : {});
  };

  app.get('/:token', async (c) => {
    let ctx: participation.InviteContext | undefined;
    try {
      const loaded = await load(c);
      ctx = loaded.ctx;
      if (loaded.p) return await renderTakingPart(c, ctx, loaded.p);
      const lang = entryLang(c, ctx);
      const intro = introIn(ctx, lang);
      return page(
        entryView(frame(ctx, lang, false), {
          intro,
          segments: ctx.invite.segmentId ? [] : participation.segmentChoices(ctx, lang),
          open: participation.inviteIsOpen(ctx),
          resultsVisible: ctx.dialogue.resultsVisible,
        }),
        participation.inviteIsOpen(ctx) ? 200 : 404,
      );
    } catch (err) {
      return errorPage(c, err, ctx);
    }
  });

  type EntryAct = (c: Context, ctx: participation.InviteContext, lang: DialogueLanguage, body: FormBody) => Promise<Response>;
  /**
   * A form post from the entry or resume page (not joined yet), in the language the page was shown in; a refusal
   * `act` does not answer itself is a page in that language.
   */
  const entryPost = (act: EntryAct) => async (c: Context) => {
    let ctx: participation.InviteContext | undefined;
    let lang: DialogueLanguage = 'en';
    try {
      ctx = await participation.loadInvite(db, c.req.param('token')!);
      const body = await formBody(c);
      lang = participation.readerLanguage(ctx, str(body.language));
      return await act(c, ctx, lang, body);
    } catch (err) {
      return errorPage(c, err, ctx, lang);
    }
  };

  app.post(
    '/:token/join',
    entryPost(async (c, ctx, lang, body) => {
      try {
        const { token, resumeCode } = await participation.join(db, rt, ctx, { language: lang, segmentId: str(body.segmentId) || null }, clientAddress(c));
        return see(`/p/${ctx.invite.token}`, [...participantCookies(ctx.invite.token, token, { secure }), codeFlashCookie(ctx.invite.token, resumeCode, { secure })]);
      } catch (err) {
        if (err instanceof AppError && err.kind === 'invalid') {
          const v = { intro: introIn(ctx, lang), segments: ctx.invite.segmentId ? [] : participation.segmentChoices(ctx, lang), open: true, resultsVisible: ctx.dialogue.resultsVisible };
          return page(entryView(frame(ctx, lang, false), { ...v, error: tr(lang, 'entry.chooseSegment') }), 400);
        }
        throw err;
      }
    }),
  );

  app.get('/:token/resume', async (c) => {
    try {
      const ctx = await participation.loadInvite(db, c.req.param('token'));
      return page(resumeView(frame(ctx, entryLang(c, ctx), false), {}));
    } catch (err) {
      return errorPage(c, err);
    }
  });

  app.post(
    '/:token/resume',
    entryPost(async (c, ctx, lang, body) => {
      const code = (str(body.code) ?? '').trim().slice(0, 20);
      try {
        const { token } = await participation.resume(db, rt, ctx, code, clientAddress(c));
        return see(`/p/${ctx.invite.token}`, participantCookies(ctx.invite.token, token, { secure }));
      } catch (err) {
        if (err instanceof AppError && (err.code === 'resume_code_unknown' || err.kind === 'invalid')) {
          const msg = tr(lang, err.kind === 'invalid' ? 'resume.invalid' : 'resume.unknown');
          return page(resumeView(frame(ctx, lang, false), { error: msg, code }), err.status);
        }
        throw err;
      }
    }),
  );

  app.post('/:token/language', async (c) => {
    try {
      const { ctx, p } = await load(c);
      const body = await formBody(c);
      const language = str(body.language) ?? '';
      if (p) await participation.setLanguage(db, ctx, p, language);
      return see(`/p/${ctx.invite.token}${p ? '' : `?lang=${encodeURIComponent(participation.readerLanguage(ctx, language))}`}`);
    } catch (err) {
      return errorPage(c, err);
    }
  });

  app.post(
    '/:token/vote',
    participantPost(async (_c, ctx, p, body) => {
      const parsed = VoteSchema.safeParse({ statementId: str(body.statementId), value: Number(str(body.value)) });
      if (!parsed.success) throw new AppError('invalid', 'invalid_request');
      try {
        await participation.castVote(rt, ctx.invite.token, p, parsed.data);
      } catch (err) {
        // a statement that was rejected meanwhile: simply show the next one
        if (err instanceof AppError && err.code === 'statement_not_found') return see(`/p/${ctx.invite.token}`);
        throw err;
      }
      return see(`/p/${ctx.invite.token}`);
    }),
  );

  app.post(
    '/:token/statement',
    participantPost(async (c, ctx, p, body) => {
      const lang = participation.readerLanguage(ctx, p.language);
      const raw = { questionId: str(body.questionId) ?? '', body: str(body.body) ?? '' };
      const parsed = WriteStatementSchema.safeParse(raw);
      if (!parsed.success) {
        const tooLong = raw.body.trim().length > 1000;
        const error = tr(lang, tooLong ? 'write.tooLong' : 'write.required');
        return await renderTakingPart(c, ctx, p, { write: { questionId: raw.questionId, body: raw.body, error } }, 400);
      }
      const written = await participation.writeStatement(db, rt.limits, deps.translate, ctx, p, parsed.data);
      return see(`/p/${ctx.invite.token}?written=${written.shownNow ? 'post' : 'pre'}`);
    }),
  );

  app.post(
    '/:token/poll/:questionId',
    participantPost(async (c, ctx, p, body) => {
      const choices = ([] as unknown[]).concat(body.choices ?? []).filter((x): x is string => typeof x === 'string');
      const scale = str(body.scale);
      const parsed = PollAnswerSchema.safeParse({ ...(choices.length ? { choices } : {}), ...(scale !== undefined ? { scale: Number(scale) } : {}) });
      try {
        if (!parsed.success) throw new AppError('invalid', 'invalid_request');
        await participation.answerPoll(db, ctx, p, c.req.param('questionId')!, parsed.data);
      } catch (err) {
        if (err instanceof AppError && err.kind === 'invalid') {
          return await renderTakingPart(c, ctx, p, { pollError: tr(participation.readerLanguage(ctx, p.language), 'poll.required') }, 400);
        }
        throw err;
      }
      return see(`/p/${ctx.invite.token}`);
    }),
  );

  app.post(
    '/:token/pairwise',
    participantPost(async (_c, ctx, p, body) => {
      await participation.choosePair(db, ctx, p, { questionId: str(body.questionId) ?? '', winnerId: str(body.winnerId) ?? '', loserId: str(body.loserId) ?? '' });
      return see(`/p/${ctx.invite.token}`);
    }),
  );

  app.get('/:token/results', async (c) => {
    let ctx: participation.InviteContext | undefined;
    try {
      const loaded = await load(c);
      ctx = loaded.ctx;
      const lang = loaded.p && !askedLanguage(c) ? participation.readerLanguage(ctx, loaded.p.language) : entryLang(c, ctx);
      const r = await participation.results(db, ctx, lang);
      const back = { href: `/p/${ctx.invite.token}${loaded.p ? '' : `?lang=${lang}`}`, label: tr(lang, 'results.back') };
      return page(resultsView(frame(ctx, lang, !!loaded.p), r, { backHref: back.href, backLabel: back.label }));
    } catch (err) {
      if (err instanceof AppError && err.code === 'results_hidden' && ctx) {
        const lang = entryLang(c, ctx);
        return page(messageView(frame(ctx, lang, false), tr(lang, 'results.hiddenTitle'), tr(lang, 'results.hidden'), { href: `/p/${ctx.invite.token}?lang=${lang}`, label: tr(lang, 'results.back') }), 404);
      }
      return errorPage(c, err, ctx);
    }
  });

  return app;
}

function introIn(ctx: participation.InviteContext, lang: string): { text: string; lang: string } | null {
  for (const l of [lang, ...ctx.dialogue.languages]) {
    const text = ctx.dialogue.intro[l];
    if (text) return { text, lang: l };
  }
  return null;
}

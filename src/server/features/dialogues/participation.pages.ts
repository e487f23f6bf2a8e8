import path from 'node:path';
import { Hono, type Context } from 'hono';
import { AppError } from '../../http/problem.ts';
import { publicAssets, sameOriginForms, serveAssets } from '../../http/public-pages.ts';
import { clientIp } from '../../http/security.ts';
import type { DialogueDeps } from './deps.ts';
import type { DialogueLanguage } from './dialogues.contract.ts';
import { PollAnswerSchema, VoteSchema, WriteStatementSchema } from './participation.contract.ts';
import * as participation from './participation.service.ts';
import { CODE_FLASH_COOKIE, codeFlashCookie, cookieValue, participantCookies, participantTokenFrom } from './participation.token.ts';
import { entryView, messageView, resultsView, resumeView, takingPartView, tr, type PageFrame } from './participation.views.ts';

// The public pages under /p: /p/{invite} (entry, or the statement to vote on once joined), /p/{invite}/resume,
// /p/{invite}/results, the form posts (each answers 303 to the next page), and /p/assets/* (one script, one
// stylesheet, named by their content hash and cached for a year).

const publicDir = path.join(import.meta.dirname, 'public');

export function participationPages(deps: DialogueDeps) {
  const { db, ai } = deps;
  const rt = participation.runtimeFor(db);
  const secure = deps.publicUrl.startsWith('https://');
  const assets = publicAssets(publicDir, 'participate', '/p');
  const app = new Hono();

  app.get('/assets/:file', serveAssets(assets));

  app.use(
    '*',
    sameOriginForms(deps.publicUrl, (c) => {
      const lang = wantedLang(c) ?? 'en';
      const t = (k: string) => tr(lang, k);
      return page(messageView(bareFrame(c, lang), t('error.title'), t('foreign')), 403);
    }),
  );

  // the address as the app resolved it (honouring TRUST_PROXY) when it set a request context for /p, else the socket's
  const ip = (c: Context) => (c.var as { ctx?: { ip?: string } }).ctx?.ip ?? clientIp(c, false);
  const participantOf = (c: Context) => participation.participantByToken(db, rt, participantTokenFrom(c.req.header('cookie')));
  const wantedLang = (c: Context) => {
    const l = c.req.query('lang');
    return l === 'en' || l === 'he' || l === 'ar' ? l : null;
  };
  /** ?lang=, else the browser's preference among the dialogue's languages */
  const entryLang = (c: Context, ctx: participation.InviteContext) => {
    const asked = wantedLang(c);
    if (asked) return participation.readerLanguage(ctx, asked);
    const accept = (c.req.header('accept-language') ?? '').toLowerCase();
    const prefs = accept.split(',').map((p) => p.trim().slice(0, 2));
    return participation.readerLanguage(ctx, prefs.find((p) => ctx.dialogue.languages.includes(p)));
  };
  const bareFrame = (c: Context, lang: DialogueLanguage): PageFrame => ({ lang, assets: assets.urls, inviteToken: c.req.param('token') ?? '', dialogueTitle: '', languages: [], joined: false });
  const frame = (ctx: participation.InviteContext, lang: DialogueLanguage, joined: boolean): PageFrame => ({
    lang,
    assets: assets.urls,
    inviteToken: ctx.invite.token,
    dialogueTitle: ctx.dialogue.title,
    languages: ctx.dialogue.languages as DialogueLanguage[],
    joined,
  });
  const see = (url: string, cookies: string[] = []) => {
    const headers = new Headers({ location: url, 'cache-control': 'no-store' });
    for (const k of cookies) headers.append('set-cookie', k);
    return new Response(null, { status: 303, headers });
  };
  const page = (htmlText: string, status = 200, headers: Record<string, string> = {}) =>
    new Response(htmlText, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers } });
  const form = async (c: Context) => (await c.req.parseBody({ all: true })) as Record<string, string | string[] | File | File[]>;
  const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

  /** An error as a page in the reader's language: not found, withdrawn, not open, slow down, or a generic one. */
  const errorPage = (c: Context, err: unknown, ctx?: participation.InviteContext, lang?: DialogueLanguage) => {
    if (!(err instanceof AppError)) throw err;
    const token = c.req.param('token') ?? '';
    const l: DialogueLanguage = lang ?? (ctx ? participation.readerLanguage(ctx, wantedLang(c)) : (wantedLang(c) ?? 'en'));
    const f: PageFrame = ctx ? frame(ctx, l, false) : bareFrame(c, l);
    const t = (k: string, vars?: Record<string, string>) => tr(l, k, vars);
    if (err.code === 'not_joined') return see(`/p/${token}`);
    if (err.code === 'rate_limited') {
      const seconds = err.headers?.['retry-after'] ?? '60';
      return page(messageView(f, t('slowDown.title'), t('slowDown.body', { seconds })), 429, { 'retry-after': seconds });
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

  app.post('/:token/join', async (c) => {
    let ctx: participation.InviteContext | undefined;
    let lang: DialogueLanguage = 'en';
    try {
      ctx = await participation.loadInvite(db, c.req.param('token'));
      const body = await form(c);
      lang = participation.readerLanguage(ctx, str(body.language));
      try {
        const { token, resumeCode } = await participation.join(db, rt, ctx, { language: lang, segmentId: str(body.segmentId) || null }, ip(c));
        return see(`/p/${ctx.invite.token}`, [...participantCookies(ctx.invite.token, token, { secure }), codeFlashCookie(ctx.invite.token, resumeCode, { secure })]);
      } catch (err) {
        if (err instanceof AppError && err.kind === 'invalid') {
          const v = { intro: introIn(ctx, lang), segments: ctx.invite.segmentId ? [] : participation.segmentChoices(ctx, lang), open: true, resultsVisible: ctx.dialogue.resultsVisible };
          return page(entryView(frame(ctx, lang, false), { ...v, error: tr(lang, 'entry.chooseSegment') }), 400);
        }
        throw err;
      }
    } catch (err) {
      return errorPage(c, err, ctx, lang);
    }
  });

  app.get('/:token/resume', async (c) => {
    try {
      const ctx = await participation.loadInvite(db, c.req.param('token'));
      return page(resumeView(frame(ctx, entryLang(c, ctx), false), {}));
    } catch (err) {
      return errorPage(c, err);
    }
  });

  app.post('/:token/resume', async (c) => {
    let ctx: participation.InviteContext | undefined;
    let lang: DialogueLanguage = 'en';
    try {
      ctx = await participation.loadInvite(db, c.req.param('token'));
      const body = await form(c);
      lang = participation.readerLanguage(ctx, str(body.language));
      const code = (str(body.code) ?? '').trim().slice(0, 20);
      try {
        const { token } = await participation.resume(db, rt, ctx, code, ip(c));
        return see(`/p/${ctx.invite.token}`, participantCookies(ctx.invite.token, token, { secure }));
      } catch (err) {
        if (err instanceof AppError && (err.code === 'resume_code_unknown' || err.kind === 'invalid')) {
          const msg = tr(lang, err.kind === 'invalid' ? 'resume.invalid' : 'resume.unknown');
          return page(resumeView(frame(ctx, lang, false), { error: msg, code }), err.status);
        }
        throw err;
      }
    } catch (err) {
      return errorPage(c, err, ctx, lang);
    }
  });

  app.post('/:token/language', async (c) => {
    try {
      const { ctx, p } = await load(c);
      const body = await form(c);
      const language = str(body.language) ?? '';
      if (p) await participation.setLanguage(db, rt, ctx, p, language);
      return see(`/p/${ctx.invite.token}${p ? '' : `?lang=${encodeURIComponent(participation.readerLanguage(ctx, language))}`}`);
    } catch (err) {
      return errorPage(c, err);
    }
  });

  app.post('/:token/vote', async (c) => {
    let ctx: participation.InviteContext | undefined;
    try {
      const loaded = await load(c);
      ctx = loaded.ctx;
      const p = participation.requireParticipant(ctx, loaded.p);
      const body = await form(c);
      const parsed = VoteSchema.safeParse({ statementId: str(body.statementId), value: Number(str(body.value)) });
      if (!parsed.success) throw new AppError('invalid', 'invalid_request');
      await participation.castVote(db, rt, ctx.invite.token, p, parsed.data);
      return see(`/p/${ctx.invite.token}`);
    } catch (err) {
      // a statement that was rejected or closed meanwhile: simply show the next one
      if (err instanceof AppError && err.code === 'statement_not_found' && ctx) return see(`/p/${ctx.invite.token}`);
      return errorPage(c, err, ctx);
    }
  });

  app.post('/:token/statement', async (c) => {
    let ctx: participation.InviteContext | undefined;
    try {
      const loaded = await load(c);
      ctx = loaded.ctx;
      const p = participation.requireParticipant(ctx, loaded.p);
      const lang = participation.readerLanguage(ctx, p.language);
      const body = await form(c);
      const raw = { questionId: str(body.questionId) ?? '', body: str(body.body) ?? '' };
      const parsed = WriteStatementSchema.safeParse(raw);
      if (!parsed.success) {
        const tooLong = raw.body.trim().length > 1000;
        const error = tr(lang, tooLong ? 'write.tooLong' : 'write.required');
        return await renderTakingPart(c, ctx, p, { write: { questionId: raw.questionId, body: raw.body, error } }, 400);
      }
      const written = await participation.writeStatement(db, rt, deps.translate, ctx, p, parsed.data);
      return see(`/p/${ctx.invite.token}?written=${written.shownNow ? 'post' : 'pre'}`);
    } catch (err) {
      return errorPage(c, err, ctx);
    }
  });

  app.post('/:token/poll/:questionId', async (c) => {
    let ctx: participation.InviteContext | undefined;
    try {
      const loaded = await load(c);
      ctx = loaded.ctx;
      const p = participation.requireParticipant(ctx, loaded.p);
      const body = await form(c);
      const choices = ([] as unknown[]).concat(body.choices ?? []).filter((x): x is string => typeof x === 'string');
      const scale = str(body.scale);
      const parsed = PollAnswerSchema.safeParse({ ...(choices.length ? { choices } : {}), ...(scale !== undefined ? { scale: Number(scale) } : {}) });
      try {
        if (!parsed.success) throw new AppError('invalid', 'invalid_request');
        await participation.answerPoll(db, ctx, p, c.req.param('questionId'), parsed.data);
      } catch (err) {
        if (err instanceof AppError && err.kind === 'invalid') {
          return await renderTakingPart(c, ctx, p, { pollError: tr(participation.readerLanguage(ctx, p.language), 'poll.required') }, 400);
        }
        throw err;
      }
      return see(`/p/${ctx.invite.token}`);
    } catch (err) {
      return errorPage(c, err, ctx);
    }
  });

  app.post('/:token/pairwise', async (c) => {
    let ctx: participation.InviteContext | undefined;
    try {
      const loaded = await load(c);
      ctx = loaded.ctx;
      const p = participation.requireParticipant(ctx, loaded.p);
      const body = await form(c);
      await participation.choosePair(db, ctx, p, { questionId: str(body.questionId) ?? '', winnerId: str(body.winnerId) ?? '', loserId: str(body.loserId) ?? '' });
      return see(`/p/${ctx.invite.token}`);
    } catch (err) {
      return errorPage(c, err, ctx);
    }
  });

  app.get('/:token/results', async (c) => {
    let ctx: participation.InviteContext | undefined;
    try {
      const loaded = await load(c);
      ctx = loaded.ctx;
      const lang = loaded.p && !wantedLang(c) ? participation.readerLanguage(ctx, loaded.p.language) : entryLang(c, ctx);
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

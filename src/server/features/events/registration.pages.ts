import type { Context } from 'hono';
import { asc, eq } from 'drizzle-orm';
import { AppError } from '../../core/errors.ts';
import { badText } from '../../core/text.ts';
import type { Db } from '../../db/client.ts';
import { paths } from '../../paths.ts';
import { askedLanguage, preferredLanguage } from '../../public/language.ts';
import { addressKey, enforce } from '../../public/limits.ts';
import { clientAddress, formBody, page, publicPageSet, see, str, type FormBody } from '../../public/pages.ts';
import { cookieValue } from '../../public/tokens.ts';
import type { Limit, RateLimits } from '../../runtime/rate-limits.ts';
import type { Mailer } from '../../mail.ts';
import type { Locale } from '../../../i18n/locales.ts';
import { renderCalendar } from '../calendar/ics.ts';
import { organisation } from '../network/network.schema.ts';
import { registrationQuestion, ticketType } from './events.schema.ts';
import * as reg from './registration.service.ts';
import { resendConfirmation } from './registration.notify.ts';
import { cohostPages } from './cohost-view.pages.ts';
import { answerValues, changeableQuestions, changeRegistration, eventQuestions } from './registration-change.service.ts';
import { noticeView, pageLanguages, registrationView, text, ticketView, tr, type EventFrame, type FormState } from './registration.views.ts';

// The public event pages under /e: /e/{slug} (the event and its registration form; ?ref=CODE a co-host's link),
// /e/{slug}/t/{token} (the person's ticket or waitlist place: QR code, .ics, cancel, take or decline an offer) and
// /e/assets/*. Every form posts and answers 303 to the next page (reloading never registers twice); they work without
// JavaScript. Registrations are rate-limited per client address (counted in the database, runtime/rate-limits.ts).

/** Counted per client address across every server on the database. */
export const EVENT_LIMITS = {
  /** registration attempts (sent forms, valid or not) */
  register: { name: 'events.register.address', max: 20, windowMs: 10 * 60_000 },
  /** changes through ticket links: cancel, accept, leave */
  manage: { name: 'events.manage.address', max: 60, windowMs: 10 * 60_000 },
} satisfies Record<string, Limit>;

export type EventPagesDeps = reg.EventsDeps & { db: Db; publicUrl: string; mailer: Mailer; limits: RateLimits };

/** The number of tickets a form asks for: 1 when absent, NaN when not a whole number from 1 to 20. */
function quantityOf(body: FormBody): number {
  const raw = str(body.quantity);
  if (raw === undefined || raw.trim() === '') return 1;
  return /^\s*([1-9]|1[0-9]|20)\s*$/.test(raw) ? Number(raw) : Number.NaN;
}

/** The cookie by which a browser that just registered is recognised when it sends the form again (a double submit). */
const cookieName = (eventId: string) => `convene_e_${eventId.replace(/-/g, '').slice(0, 12)}`;

export function eventPages(deps: EventPagesDeps) {
  const { db } = deps;
  const { app, assets, secure } = publicPageSet(deps.publicUrl, { dir: paths.eventAssets, name: 'events', mount: '/e' }, (c, lang, bodyKey) =>
    noticeView(bareFrame(c, lang), tr(lang, 'error.title'), tr(lang, bodyKey === 'foreign' ? 'error.foreign' : 'error.body')),
  );
  const bareFrame = (c: Context, lang: Locale): EventFrame => ({ lang, assets, here: c.req.path, title: '' });
  const frameOf = (c: Context, e: reg.EventRow, lang: Locale, here?: string): EventFrame => ({
    lang,
    assets,
    here: here ?? c.req.path,
    title: text(e, e.title as Record<string, string>, lang),
  });
  const langOf = (c: Context, e: reg.EventRow | null, body?: FormBody): Locale => {
    const posted = body ? str(body.language) : undefined;
    if (posted === 'en' || posted === 'he' || posted === 'ar') return posted;
    return preferredLanguage(c, pageLanguages(e));
  };

  const errorPage = (c: Context, err: unknown, e: reg.EventRow | null, lang: Locale) => {
    if (!(err instanceof AppError)) throw err;
    const f = e ? frameOf(c, e, lang) : bareFrame(c, lang);
    if (err.code === 'rate_limited') {
      const seconds = err.headers?.['retry-after'] ?? '60';
      return page(noticeView(f, tr(lang, 'slowDown.title'), tr(lang, 'slowDown.body', { seconds })), 429, { 'retry-after': seconds });
    }
    if (err.kind === 'not_found') return page(noticeView({ ...f, title: '' }, tr(lang, 'notFound.title'), tr(lang, 'notFound.body')), 404);
    if (err.code === 'offer_expired' && e) return see(`${c.req.path.replace(/\/[a-z]+$/, '')}?lang=${lang}&done=waitlist.expired`);
    return page(noticeView(f, tr(lang, 'error.title'), tr(lang, 'error.body'), e ? { href: `/e/${e.slug}?lang=${lang}`, label: text(e, e.title as Record<string, string>, lang) } : undefined), err.status);
  };

  const formParts = async (e: reg.EventRow) => ({
    types: await db.select().from(ticketType).where(eq(ticketType.eventId, e.id)).orderBy(asc(ticketType.position), asc(ticketType.createdAt)),
    questions: await db.select().from(registrationQuestion).where(eq(registrationQuestion.eventId, e.id)).orderBy(asc(registrationQuestion.position), asc(registrationQuestion.createdAt)),
  });

  const referralState = async (e: reg.EventRow, code: string | null): Promise<FormState['referral']> => {
    if (!code) return null;
    const l = await reg.activeReferral(db, e.id, code);
    if (!l) return { state: 'unknown' };
    const [o] = await db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, l.organisationId));
    return o ? { state: 'known', organisation: o.name } : { state: 'unknown' };
  };

  const renderForm = async (c: Context, e: reg.EventRow, lang: Locale, state: Omit<FormState, 'referral'>, status = 200) => {
    const parts = await formParts(e);
    const referral = await referralState(e, state.ref);
    const here = `/e/${e.slug}${state.ref ? `?ref=${encodeURIComponent(state.ref)}` : ''}`;
    return page(
      registrationView(frameOf(c, e, lang, here), { event: e, ...parts, state: { ...state, referral }, action: here, now: new Date() }),
      status,
    );
  };

  // the co-hosts' own views by their secret links (cohost-view.pages.ts)
  cohostPages(app, deps, assets);

  // ---------- the event and its form ----------
  app.get('/:slug', async (c) => {
    let e: reg.EventRow | null = null;
    try {
      e = await reg.publicEvent(db, c.req.param('slug'));
      const ref = c.req.query('ref') ?? null;
      return await renderForm(c, e, langOf(c, e), { values: {}, errors: [], ref: ref && !badText(ref) ? ref.slice(0, 100) : null });
    } catch (err) {
      return errorPage(c, err, e, askedLanguage(c) ?? 'en');
    }
  });

  app.post('/:slug', async (c) => {
    let e: reg.EventRow | null = null;
    let lang: Locale = askedLanguage(c) ?? 'en';
    try {
      e = await reg.publicEvent(db, c.req.param('slug'));
      const body = await formBody(c);
      lang = langOf(c, e, body);
      await enforce(deps.limits, EVENT_LIMITS.register, addressKey(deps.limits, clientAddress(c)), 'registrations');
      // a bot filled the field people never see: a polite page, nothing stored
      if (str(body.website)) return page(noticeView(frameOf(c, e, lang), tr(lang, 'honeypot.title'), tr(lang, 'honeypot.body')));
      const ref = str(body.ref) ?? c.req.query('ref') ?? null;
      const values: Record<string, string | string[]> = {};
      const answers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(body)) {
        const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
        values[k] = list.length === 1 ? list[0]! : list;
        if (k.startsWith('q_')) answers[k.slice(2)] = list;
      }
      const name = (str(body.name) ?? '').trim();
      const email = (str(body.email) ?? '').trim();
      const errors = [];
      if (!name || name.length > 120) errors.push({ field: 'name', detail: 'name' });
      if (Number.isNaN(quantityOf(body))) errors.push({ field: 'quantity', detail: 'over_limit' });
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) errors.push({ field: 'email', detail: 'email' });
      const state = { values, ref: ref ? ref.slice(0, 100) : null };
      if (errors.length) return await renderForm(c, e, lang, { ...state, errors }, 400);
      let result: reg.RegisterResult;
      try {
        result = await reg.register(db, { actor: null, ip: clientAddress(c), userAgent: c.req.header('user-agent') ?? '' }, deps, e, {
          email,
          name,
          language: lang,
          ticketTypeId: str(body.ticketTypeId) ?? '',
          answers,
          ref,
          quantity: quantityOf(body),
        });
      } catch (err) {
        if (err instanceof AppError && (err.code === 'invalid_registration' || err.code.startsWith('sales_') || err.code === 'registration_closed')) {
          return await renderForm(c, e, lang, { ...state, errors: err.errors ?? [] }, err.status);
        }
        throw err;
      }
      const ticketPage = `/e/${e.slug}/t/${result.token}?lang=${lang}`;
      if (result.outcome !== 'existing') {
        return see(ticketPage, [`${cookieName(e.id)}=${result.token}; Path=/e/${e.slug}; HttpOnly; SameSite=Lax; Max-Age=${60 * 60 * 24 * 7}${secure ? '; Secure' : ''}`]);
      }
      // the same browser sending the form again (a double submit, the back button): its ticket
      if (cookieValue(c.req.header('cookie'), cookieName(e.id)) === result.token) return see(ticketPage);
      // anyone else who knows the address gets no ticket: it is emailed again when email works
      const emailed = deps.mailer.configured && (await resendConfirmation(db, deps, result.registrationId));
      return page(noticeView(frameOf(c, e, lang), tr(lang, 'already.title'), tr(lang, emailed ? 'already.emailed' : 'already.noEmail')));
    } catch (err) {
      return errorPage(c, err, e, lang);
    }
  });

  // ---------- the ticket link ----------
  const holderPage = async (c: Context, sent?: { lang: Locale; values: FormState['values']; errors: FormState['errors'] }) => {
    const h = await reg.holderByToken(db, c.req.param('slug')!, c.req.param('token')!);
    const lang = sent?.lang ?? ((askedLanguage(c) ?? h.registration.language) as Locale);
    const base = `/e/${h.event.slug}/t/${c.req.param('token')}`;
    const done = c.req.query('done') ?? null;
    const flash = !sent && done && /^(ticket\.(cancelledNow|changed)|waitlist\.(left|accepted|expired))$/.test(done) ? done : null;
    const questions = changeableQuestions(await eventQuestions(db, h.event.id));
    const state: FormState = { values: sent?.values ?? answerValues(h.registration, questions), errors: sent?.errors ?? [], ref: null, referral: null };
    return page(ticketView(frameOf(c, h.event, lang, base), { holder: h, base, now: new Date(), flash, change: { questions, state } }), sent ? 400 : 200);
  };

  app.get('/:slug/t/:token', async (c) => {
    try {
      return await holderPage(c);
    } catch (err) {
      return errorPage(c, err, null, askedLanguage(c) ?? 'en');
    }
  });

  app.get('/:slug/t/:token/event.ics', async (c) => {
    try {
      const h = await reg.holderByToken(db, c.req.param('slug'), c.req.param('token'));
      const e = h.event;
      const lang = h.registration.language as Locale;
      const host = new URL(deps.publicUrl).hostname;
      const body = renderCalendar({
        name: text(e, e.title as Record<string, string>, lang),
        host,
        events: [
          {
            uid: `event-${e.id}@${host}`,
            start: e.startsAt,
            end: e.endsAt,
            timeZone: e.timeZone,
            summary: text(e, e.title as Record<string, string>, lang),
            location: [e.venueName, e.venueAddress].filter(Boolean).join(', ') || null,
            description: text(e, e.practicalInfo as Record<string, string>, lang) || null,
            url: `${deps.publicUrl.replace(/\/+$/, '')}/e/${e.slug}/t/${c.req.param('token')}`,
            lastModified: e.updatedAt,
          },
        ],
      });
      return new Response(body, {
        headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `attachment; filename="${e.slug}.ics"`, 'cache-control': 'no-store' },
      });
    } catch (err) {
      return errorPage(c, err, null, askedLanguage(c) ?? 'en');
    }
  });

  type Act = (c: Context, ctx: { actor: null; ip: string; userAgent: string }, body: FormBody) => Promise<string>;
  /** A form post through a ticket link: counted per address, then 303 back to the ticket page with what happened. */
  const manage = (act: Act) => async (c: Context) => {
    let e: reg.EventRow | null = null;
    let lang: Locale = askedLanguage(c) ?? 'en';
    try {
      const body = await formBody(c);
      e = await reg.publicEvent(db, c.req.param('slug')!);
      lang = langOf(c, e, body);
      await enforce(deps.limits, EVENT_LIMITS.manage, addressKey(deps.limits, clientAddress(c)), 'changes');
      const flash = await act(c, { actor: null, ip: clientAddress(c), userAgent: c.req.header('user-agent') ?? '' }, body);
      return see(`/e/${e.slug}/t/${c.req.param('token')}?lang=${lang}&done=${flash}`);
    } catch (err) {
      return errorPage(c, err, e, lang);
    }
  };

  // "change": name, answers, optional consents; errors come back on the ticket page (400), nothing written
  app.post('/:slug/t/:token/change', async (c) => {
    let e: reg.EventRow | null = null;
    let lang: Locale = askedLanguage(c) ?? 'en';
    try {
      const body = await formBody(c);
      e = await reg.publicEvent(db, c.req.param('slug'));
      lang = langOf(c, e, body);
      await enforce(deps.limits, EVENT_LIMITS.manage, addressKey(deps.limits, clientAddress(c)), 'changes');
      const values: FormState['values'] = {};
      const answers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(body)) {
        const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
        values[k] = list.length === 1 ? list[0]! : list;
        if (k.startsWith('q_')) answers[k.slice(2)] = list;
      }
      try {
        await changeRegistration(db, { actor: null, ip: clientAddress(c), userAgent: c.req.header('user-agent') ?? '' }, e.slug, c.req.param('token'), { name: str(body.name) ?? '', answers });
      } catch (err) {
        if (err instanceof AppError && err.code === 'invalid_registration') return await holderPage(c, { lang, values, errors: err.errors ?? [] });
        throw err;
      }
      return see(`/e/${e.slug}/t/${c.req.param('token')}?lang=${lang}&done=ticket.changed`);
    } catch (err) {
      return errorPage(c, err, e, lang);
    }
  });

  app.post(
    '/:slug/t/:token/cancel',
    manage(async (c, ctx, body) => {
      await reg.cancelTicket(db, ctx, deps, c.req.param('slug')!, c.req.param('token')!, str(body.ticketId) ?? '');
      return 'ticket.cancelledNow';
    }),
  );
  app.post(
    '/:slug/t/:token/accept',
    manage(async (c, ctx, body) => {
      await reg.acceptOffer(db, ctx, deps, c.req.param('slug')!, c.req.param('token')!, str(body.entryId) ?? '');
      return 'waitlist.accepted';
    }),
  );
  app.post(
    '/:slug/t/:token/leave',
    manage(async (c, ctx, body) => {
      await reg.leaveWaitlist(db, ctx, deps, c.req.param('slug')!, c.req.param('token')!, str(body.entryId) ?? '');
      return 'waitlist.left';
    }),
  );
  return app;
}

import type { Context, Hono } from 'hono';
import type { Db } from '../../db/client.ts';
import { askedLanguage } from '../../public/language.ts';
import { page } from '../../public/pages.ts';
import type { PageAssets } from '../../public/layout.ts';
import type { Locale } from '../../../i18n/locales.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { cohostByToken } from './cohost-view.service.ts';
import { cohostView as cohostPage } from './cohost-view.views.ts';
import { noticeView, pageLanguages, text, tr, type EventFrame } from './registration.views.ts';
import { cohostRegistrantsCsv, cohostView, reportCsv } from './reports.service.ts';
import { preferredLanguage } from '../../public/language.ts';

// The co-host's own view by its secret link: /e/{slug}/cohost/{token} (HTML), …/report.csv (its figures) and
// …/registrants.csv (its consenting registrants, "contacts" mode only). An unknown or revoked link, or a link of
// another event, is 404 and says nothing more. Downloading contacts is audited (no actor: the link's id is named).

export function cohostPages(app: Hono, deps: { db: Db }, assets: PageAssets) {
  const { db } = deps;
  const notFoundPage = (c: Context, lang: Locale) => {
    const f: EventFrame = { lang, assets, here: c.req.path, title: '' };
    return page(noticeView(f, tr(lang, 'notFound.title'), tr(lang, 'notFound.body')), 404);
  };
  const csv = (body: string, name: string) =>
    new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    });
  const bomOf = (c: Context) => c.req.query('bom') === '1' || c.req.query('bom') === 'true';

  app.get('/:slug/cohost/:token', async (c) => {
    const found = await cohostByToken(db, c.req.param('slug'), c.req.param('token'));
    if (!found) return notFoundPage(c, askedLanguage(c) ?? 'en');
    const e = found.event;
    const lang = preferredLanguage(c, pageLanguages(e));
    const v = await cohostView(db, e, found.organisationId, true);
    const base = `/e/${e.slug}/cohost/${c.req.param('token')}`;
    const f: EventFrame = { lang, assets, here: base, title: text(e, e.title as Record<string, string>, lang) };
    return page(cohostPage(f, e, v, base, found.expiresAt), 200, { 'referrer-policy': 'no-referrer' });
  });
  app.get('/:slug/cohost/:token/report.csv', async (c) => {
    const found = await cohostByToken(db, c.req.param('slug'), c.req.param('token'));
    if (!found) return notFoundPage(c, askedLanguage(c) ?? 'en');
    const v = await cohostView(db, found.event, found.organisationId, false);
    return csv(reportCsv(v.report, bomOf(c)), `${found.event.slug}-report`);
  });
  app.get('/:slug/cohost/:token/registrants.csv', async (c) => {
    const found = await cohostByToken(db, c.req.param('slug'), c.req.param('token'));
    if (!found) return notFoundPage(c, askedLanguage(c) ?? 'en');
    const v = await cohostView(db, found.event, found.organisationId, false);
    if (v.sharingMode !== 'contacts') return notFoundPage(c, askedLanguage(c) ?? 'en');
    const body = await cohostRegistrantsCsv(db, found.event.id, found.organisationId, bomOf(c));
    const ctx = c.get('ctx' as never) as { ip: string; userAgent: string } | undefined;
    await recordAudit(db, { actor: null, ip: ctx?.ip ?? '', userAgent: ctx?.userAgent ?? '' }, {
      action: 'event.cohost_view.export',
      entityType: 'event',
      entityId: found.event.id,
      detail: { linkId: found.linkId, organisationId: found.organisationId },
    });
    return csv(body, `${found.event.slug}-registrants`);
  });
}

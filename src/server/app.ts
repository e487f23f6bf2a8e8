import type { Context } from 'hono';
import { isLocale } from '../i18n/locales.ts';
import path from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { createAiProvider, type AiProvider } from './ai/provider.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import { accountsRoutes } from './features/accounts/accounts.routes.ts';
import * as accounts from './features/accounts/accounts.service.ts';
import { createAuth } from './features/accounts/auth.ts';
import { SessionCache, sessionCookieValue } from './features/accounts/session-cache.ts';
import { ActivityNotes, noteActivity } from './features/accounts/visits.ts';
import { authRoutes } from './features/accounts/auth.routes.ts';
import { auditRoutes } from './features/audit/audit.routes.ts';
import { calendarRoutes } from './features/calendar/calendar.routes.ts';
import { campaignsRoutes } from './features/campaigns/campaigns.routes.ts';
import { tripsRoutes } from './features/trips/trips.routes.ts';
import { importsRoutes } from './features/imports/imports.routes.ts';
import { insightsRoutes } from './features/insights/insights.routes.ts';
import { meetingsRoutes } from './features/meetings/meetings.routes.ts';
import { officesRoutes } from './features/network/offices.routes.ts';
import { organisationsRoutes } from './features/network/organisations.routes.ts';
import { peopleRoutes } from './features/network/people.routes.ts';
import { erasureRoutes } from './features/network/erasure.routes.ts';
import { healthRoutes, type Lifecycle } from './features/health/health.routes.ts';
import { dialogueAnalysisRoutes } from './features/dialogues/analysis.routes.ts';
import { dialoguesRoutes } from './features/dialogues/dialogues.routes.ts';
import { participationPages } from './features/dialogues/participation.pages.ts';
import { participationRoutes } from './features/dialogues/participation.routes.ts';
import { eventsRoutes } from './features/events/events.routes.ts';
import { defineEventJobs } from './features/events/registration.email.ts';
import { eventPages } from './features/events/registration.pages.ts';
import { checkinRoutes } from './features/events/checkin.routes.ts';
import { checkinPages } from './features/events/checkin.pages.ts';
import { eventReportsRoutes } from './features/events/reports.routes.ts';
import { studiesRoutes } from './features/studies/studies.routes.ts';
import { updatesRoutes } from './features/updates/updates.routes.ts';
import { defineUpdateJobs } from './features/updates/updates.service.ts';
import { newsPages, RenderedPages } from './features/updates/updates.pages.ts';
import { surveyPages } from './features/studies/survey.pages.ts';
import { surveyRoutes } from './features/studies/survey.routes.ts';
import { renderApiDocs } from './http/api-docs.ts';
import type { AppEnv } from './http/context.ts';
import { unmatchedApiRequest } from './http/methods.ts';
import { errorToResponse, problemInstance, problemResponse, validationHook } from './http/problem.ts';
import { problemPages } from './http/problem-pages.ts';
import { PUBLIC_FORM_LIMIT, apiBodyLimit, bodyLimit } from './http/limits.ts';
import { documentConfig, finishDocument } from './http/openapi.ts';
import { clientIp, csrfProtection, securityHeaders } from './http/security.ts';
import { signedOutLanguage } from './http/first-paint.ts';
import { PageShell } from './http/first-page-preloads.ts';
import { fileMtimeMs, serveAsset } from './http/static-assets.ts';
import { createPublicRuntime } from './public/runtime.ts';
import { RateLimits } from './runtime/rate-limits.ts';
import { refuseBadText } from './http/text.ts';
import { defineInvitationJobs } from './features/accounts/invitations.jobs.ts';
import { defineTranslationJobs, translationRequests } from './features/dialogues/translations.service.ts';
import { defineHealthJobs } from './features/insights/health.jobs.ts';
import { defineMaintenanceJobs } from './runtime/maintenance.ts';
import { defineRetentionJobs } from './runtime/retention.ts';
import { networkImporter } from './features/imports/import.service.ts';
import { defineImportJobs, resumeRuns } from './features/imports/runs.ts';
import { polisImporter } from './features/dialogues/polis-io.service.ts';
import { studyImporter } from './features/studies/imports.service.ts';
import { Jobs } from './jobs/jobs.ts';
import { jobsRoutes } from './jobs/jobs.routes.ts';
import { createMailer, type Mailer } from './mail.ts';
import type { Actor, Role } from './access/roles.ts';
import { paths } from './paths.ts';

export const VERSION = '0.1.0';
export const webDistDir = paths.webDist;

export type AppDeps = {
  db: Db;
  kind: 'pglite' | 'postgres';
  config: Config;
  mailer?: Mailer;
  /** the AI provider; by default the one CONVENE_AI_* configures (none when unset) */
  ai?: AiProvider | null;
  /**
   * Background jobs (src/server/jobs). work: false makes an app that enqueues but runs no job (a second app on
   * the same database in a test); pollingIntervalSeconds: how often workers look for due retries (default 2).
   */
  jobs?: {
    work?: boolean;
    pollingIntervalSeconds?: number;
    /**
     * true: createApp does not start the jobs; the caller calls `startJobs()` (the server does once it listens, so
     * that its start-up is not held by the queue's setup) and lets no request but health and readiness reach the
     * app before it resolved (src/server/main.ts). Default false: the app returned has its jobs started.
     */
    deferStart?: boolean;
  };
  /** NOTIFYs from every server on the database (Database.listen): caches are dropped when another server writes */
  listen?: Database['listen'];
  /** Database.quiet: what long background work waits for between its transactions (none: a short pause) */
  quiet?: Database['quiet'];
  /** set `draining` when the server starts to stop: readiness answers 503 and responses close their connection */
  lifecycle?: Lifecycle;
};

/** The channel on which a server says that sessions, accounts or settings may have changed. */
const SESSIONS_CHANGED = 'convene_sessions';

/** Every feature's background jobs (names, handlers, retries, schedules). */
function defineJobs(jobs: Jobs, deps: { db: Db; kind: 'pglite' | 'postgres'; ai: AiProvider | null; mailer: Mailer; secret: string; publicUrl: string; info?: (line: string) => void; quiet?: Database['quiet'] }) {
  defineTranslationJobs(jobs, deps);
  defineInvitationJobs(jobs, deps);
  defineHealthJobs(jobs, deps);
  defineRetentionJobs(jobs, deps);
  defineMaintenanceJobs(jobs, deps);
  defineEventJobs(jobs, { db: deps.db, mailer: deps.mailer, secret: deps.secret, publicUrl: deps.publicUrl });
  defineUpdateJobs(jobs, { db: deps.db });
  defineImportJobs(jobs, { db: deps.db, importers: { network: networkImporter, polis: polisImporter, study: studyImporter }, log: deps.info, quiet: deps.quiet });
}

/**
 * Creates (or upgrades) the job queue's tables and every queue, and stops: what createApp's first start does.
 * The test setup puts it in the database every test file copies.
 */
export async function installJobQueues(db: Db, kind: 'pglite' | 'postgres'): Promise<void> {
  const jobs = new Jobs({ db, kind, work: false });
  defineJobs(jobs, { db, kind, ai: null, mailer: createMailer(undefined), secret: '', publicUrl: 'http://localhost' });
  await jobs.start();
  await jobs.stop();
}

/** Writes by people without an account (dialogue participants, survey respondents). */
const PUBLIC_WRITES = /^\/api\/(participate|survey|checkin)\//;

/** Paths a signed-in user may reach while the install requires two-factor and theirs is off. */
const TWO_FACTOR_EXEMPT = [/^\/api\/me(\/|$)/, /^\/api\/session$/, /^\/api\/auth\//, /^\/api\/health$/, /^\/api\/ready$/, /^\/api\/setup$/, /^\/api\/openapi\.json$/, /^\/api\/docs$/, /^\/api\/checkin\//];

export async function createApp(deps: AppDeps) {
  const { db, config } = deps;
  const mailer = deps.mailer ?? createMailer(config.smtp);
  const lifecycle: Lifecycle = deps.lifecycle ?? { draining: false };
  const secret = await accounts.ensureAuthSecret(db, config.secret);
  const origins = [config.publicUrl, `http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`];
  const auth = createAuth({ db, secret, baseURL: config.publicUrl, trustedOrigins: origins });
  const setup = await accounts.openSetup(db);

  let cachedSettings: accounts.Settings | undefined;
  const settings = {
    get: async () => (cachedSettings ??= await accounts.readSettings(db)),
    invalidate: () => {
      cachedSettings = undefined;
    },
  };
  const limits = new RateLimits(db, secret);
  const signInLimits = {
    account: { name: 'sign-in.account', max: config.signInRateLimit, windowMs: 15 * 60_000 },
    address: { name: 'sign-in.address', max: config.signInRateLimit * 5, windowMs: 15 * 60_000 },
  };

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });
  const log = (err: unknown) => {
    if (config.logLevel !== 'silent') console.error(err);
  };
  const ai = deps.ai !== undefined ? deps.ai : createAiProvider(config.ai);

  // durable background jobs: each feature names its jobs and handlers; whoever made the app stops them
  // (jobs.stop()) before closing the database
  const jobs = new Jobs({
    db,
    kind: deps.kind,
    work: deps.jobs?.work,
    pollingIntervalSeconds: deps.jobs?.pollingIntervalSeconds,
    log: (message, err) => {
      if (config.logLevel !== 'silent') console.error(message, err instanceof Error ? err.message : (err ?? ''));
    },
  });
  defineJobs(jobs, { db, kind: deps.kind, ai, mailer, secret, publicUrl: config.publicUrl, info: (line) => config.logLevel !== 'silent' && console.log(line), quiet: deps.quiet });
  app.onError((err) => errorToResponse(err, log));
  // a stopping server asks every client to reconnect (to another server behind the balancer) after this response
  app.use('*', async (c, next) => {
    await next();
    if (lifecycle.draining) c.res.headers.set('Connection', 'close');
  });
  app.use('*', securityHeaders({ https: config.publicUrl.startsWith('https://') }));
  app.use('/api/*', problemInstance());
  app.use('/problems/*', problemInstance());

  // who a session belongs to and the install's settings are cached for a few seconds; any staff write on any server
  // drops them everywhere at once (a NOTIFY on SESSIONS_CHANGED), so a disabled account, an ended session, a new
  // role or a settings change holds on every server at the next request
  const sessions = new SessionCache();
  const activity = new ActivityNotes();
  // the news site's rendered pages too: an unpublished post must leave every server at once
  const newsRendered = new RenderedPages();
  const forget = () => {
    sessions.clear();
    settings.invalidate();
    newsRendered.clear();
  };
  await deps.listen?.(SESSIONS_CHANGED, forget, forget);
  /** Who the request's session cookie belongs to (cached as above); null when nobody, or a disabled account. */
  const sessionActor = async (c: Context): Promise<Actor | null> => {
    const cookie = sessionCookieValue(c.req.header('cookie'));
    let actor: Actor | null = (cookie && sessions.get(cookie)) || null;
    if (cookie && !actor) {
      const generation = sessions.generation;
      const s = await auth.api.getSession({ headers: c.req.raw.headers });
      const u = s?.user as (NonNullable<typeof s>['user'] & Record<string, unknown>) | undefined;
      if (s && u && !u.disabled) {
        actor = {
          id: u.id,
          email: u.email,
          name: u.name,
          role: u.role as Role,
          locale: String(u.locale),
          timeZone: String(u.timeZone),
          twoFactorEnabled: !!u.twoFactorEnabled,
          sessionId: s.session.id,
          createdAt: new Date(u.createdAt).toISOString(),
        };
        sessions.set(cookie, actor, new Date(s.session.expiresAt), generation);
      }
    }
    return actor;
  };
  app.use('/api/*', async (c, next) => {
    const ip = clientIp(c, config.trustProxy);
    const actor = await sessionActor(c);
    c.set('ctx', { actor, ip, userAgent: c.req.header('user-agent') ?? '' });
    // when the user was last here, for the home page's "since you last came" (before the request, which may ask it)
    if (actor && activity.due(actor.id)) {
      await noteActivity(db, actor.id).catch((err) => {
        activity.forget(actor!.id);
        log(err);
      });
    }
    await next();
    // any staff write may change who a session belongs to or whether it still exists; participants' and
    // respondents' writes (votes, answers) cannot, and come thousands a second during a dialogue
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !PUBLIC_WRITES.test(c.req.path)) {
      forget();
      await db.execute(sql`SELECT pg_notify(${SESSIONS_CHANGED}, '')`);
    }
  });
  // bodies over the route's limit are refused before they are read (the limit depends on who is signed in)
  app.use('/api/*', bodyLimit((c) => apiBodyLimit(c.req.method, c.req.path, !!c.get('ctx').actor)));
  app.use('/api/*', csrfProtection(origins));
  app.use('/api/*', async (c, next) => {
    const actor = c.get('ctx').actor;
    if (actor && !actor.twoFactorEnabled && !TWO_FACTOR_EXEMPT.some((re) => re.test(c.req.path))) {
      if ((await settings.get()).requireTwoFactor) {
        return problemResponse(403, 'two_factor_required', 'This install requires two-factor sign-in. Turn it on in your account first.');
      }
    }
    await next();
  });
  app.use('/api/*', refuseBadText());

  app.route('/api', healthRoutes({ db, kind: deps.kind, version: VERSION, lifecycle }));
  app.route('/api', authRoutes({ db, auth, limits, signInLimits }));
  app.route('/api', accountsRoutes({ db, mailer, jobs, publicUrl: config.publicUrl, setup, settings, limits, aiConfigured: ai !== null }));
  app.route('/api', auditRoutes({ db }));
  app.route('/api', jobsRoutes({ db, jobs }));
  const feature = { db, publicUrl: config.publicUrl, jobs };
  for (const routes of [erasureRoutes, officesRoutes, organisationsRoutes, peopleRoutes, meetingsRoutes, insightsRoutes, importsRoutes, calendarRoutes]) {
    app.route('/api', routes(feature));
  }
  app.route('/api', campaignsRoutes({ ...feature, ai }));
  app.route('/api', tripsRoutes(feature));
  const research = { ...feature, ai, jobs, translate: translationRequests(jobs, ai) };
  app.route('/api', eventsRoutes({ ...feature, jobs }));
  app.route('/api', checkinRoutes({ ...feature, limits }));
  app.route('/api', eventReportsRoutes({ ...feature, secret }));
  app.route('/api', updatesRoutes({ ...feature, jobs, ai }));
  app.route('/api', dialoguesRoutes(research));
  app.route('/api', dialogueAnalysisRoutes(research));
  app.route('/api', studiesRoutes(research));
  // the public pages' runtime (vote writer, short caches, rate limits counted in the database): one per app,
  // stopped by the caller at shutdown (publicRuntime.stop())
  const publicRuntime = createPublicRuntime(db, limits);
  const publicDeps = { ...research, runtime: publicRuntime };
  app.route('/api', participationRoutes(publicDeps));
  app.route('/api', surveyRoutes(publicDeps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' });
  // the generated document, with what every operation shares (400 / 403 / 413 / 415 / 431 / 500 / 503), built once on first use
  let document: ReturnType<typeof finishDocument> | undefined;
  const openApiDocument = () => (document ??= finishDocument(app.getOpenAPI31Document(documentConfig(config.publicUrl, VERSION))));
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/api/docs', (c) => c.html(renderApiDocs(openApiDocument() as never)));
  // a path no operation has: 404; a path some operation has, with another method: 405 with Allow
  app.all('/api/*', unmatchedApiRequest(() => app.routes));

  // public pages for participants and respondents (no account): light, server-rendered, working without JavaScript
  for (const mount of ['/p/*', '/s/*', '/e/*']) {
    app.use(mount, async (c, next) => {
      c.set('ctx', { actor: null, ip: clientIp(c, config.trustProxy), userAgent: '' });
      await next();
    });
    app.use(mount, bodyLimit(() => PUBLIC_FORM_LIMIT));
  }
  app.route('/p', participationPages(publicDeps));
  app.route('/s', surveyPages(publicDeps));
  app.route('/checkin', checkinPages({ publicUrl: config.publicUrl }));
  app.route('/', newsPages({ db, publicUrl: config.publicUrl, settings, rendered: newsRendered }));
  app.route('/e', eventPages({ db, publicUrl: config.publicUrl, jobs, secret, mailer, limits }));
  // what each problem `type` (/problems/<code>) means, in three languages
  app.route('/problems', problemPages());

  // the staff web app: hashed assets cached for a year, every other path gets the shell (client-side routes); both as
  // compressed at build time, in the encoding the browser accepts (http/static-assets.ts)
  app.on(['GET', 'HEAD'], '/assets/*', (c) => serveAsset(c, webDistDir));
  // The shell names the files of the page at the address, for who is signed in (http/first-page-preloads.ts); it is
  // read again when the build changes it.
  let shell: { at: number; page: PageShell | null } | undefined;
  const pageShell = () => {
    const at = fileMtimeMs(path.join(webDistDir, 'index.html'));
    if (!shell || shell.at !== at) shell = { at, page: at ? PageShell.load(webDistDir) : null };
    return shell.page;
  };
  // an install with an account never has none again: asked of the database only until the first one exists
  let installed = false;
  const setupPending = async () => !(installed ||= (await accounts.countUsers(db)) > 0);
  app.get('*', async (c) => {
    const page = pageShell();
    if (!page) return c.text('The web app is not built yet: run `npm run build`.', 503);
    const actor = await sessionActor(c);
    if (actor && isLocale(actor.locale)) return page.respond(c, { signedIn: true, locale: actor.locale });
    return page.respond(c, { signedIn: false, locale: signedOutLanguage(c.req.header('cookie'), c.req.header('accept-language')), setupPending: await setupPending() });
  });

  let jobsStarted: Promise<void> | undefined;
  const startJobs = () =>
    (jobsStarted ??= (async () => {
      await jobs.start();
      // imports left unfinished with no job (a restore empties the queue) go on
      if (jobs.work) await resumeRuns(db, jobs);
    })());
  if (!deps.jobs?.deferStart) await startJobs();
  return { app, auth, setup, mailer, jobs, startJobs, publicRuntime, lifecycle };
}

export type ConveneApp = Awaited<ReturnType<typeof createApp>>;

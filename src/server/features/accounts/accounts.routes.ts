import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../../db/client.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import { PageQuerySchema, pageSchema } from '../../http/pagination.ts';
import { AppError } from '../../core/errors.ts';
import type { Limit, RateLimits } from '../../runtime/rate-limits.ts';
import { tooManyRequests } from '../../http/security.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Mailer } from '../../mail.ts';
import { authorize, type Actor } from '../../access/roles.ts';
import { isLocale } from '../../../i18n/locales.ts';
import {
  AcceptInvitationSchema,
  CreatedInvitationSchema,
  CreateInvitationSchema,
  InvitationSchema,
  MeSchema,
  PreferencesSchema,
  PublicInvitationSchema,
  SessionSchema,
  SessionStateSchema,
  SettingsSchema,
  SetupRequestSchema,
  SetupStatusSchema,
  UpdateSettingsSchema,
  UpdateUserSchema,
  UserSchema,
} from './accounts.contract.ts';
import * as accounts from './accounts.service.ts';

export type AccountsDeps = {
  db: Db;
  mailer: Mailer;
  jobs: Jobs;
  publicUrl: string;
  setup: accounts.SetupState;
  settings: { get(): Promise<accounts.Settings>; invalidate(): void };
  limits: RateLimits;
  /** an AI provider is configured: the app disables what needs one up front, saying why */
  aiConfigured?: boolean;
};

const tags = ['Accounts'];

/** The setup and invitation routes anyone may call, per address. */
const PUBLIC_ACCOUNT_ROUTES: Limit = { name: 'accounts.public', max: 60, windowMs: 60_000 };

export function accountsRoutes(deps: AccountsDeps) {
  const { db } = deps;
  const r = newRouter();

  const limitPublic = async (ip: string) => {
    const wait = await deps.limits.hit(PUBLIC_ACCOUNT_ROUTES, deps.limits.key(`ip:${ip}`));
    if (wait) return tooManyRequests(wait);
    return undefined;
  };

  r.openapi(
    createRoute({ method: 'get', operationId: 'getSetupState', path: '/setup', tags, summary: 'Whether this install still needs its first administrator', responses: { 200: json(SetupStatusSchema, 'Setup status') } }),
    async (c) => c.json({ needsSetup: (await accounts.countUsers(db)) === 0 }, 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createFirstAdmin',
      path: '/setup',
      tags,
      summary: 'Create the first administrator with the one-time setup link',
      request: { body: jsonBody(SetupRequestSchema) },
      responses: { 201: json(UserSchema, 'The administrator'), ...problems(400, 403, 409, 429) },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const limited = await limitPublic(ctx.ip);
      if (limited) return limited as never;
      const u = await accounts.setupFirstAdmin(db, ctx, deps.setup, c.req.valid('json'));
      return c.json(u, 201);
    },
  );

  const meOf = async (a: Actor) => {
    const settings = await deps.settings.get();
    const me = { id: a.id, name: a.name, email: a.email, role: a.role, disabled: false, twoFactorEnabled: a.twoFactorEnabled, locale: isLocale(a.locale) ? a.locale : 'en', timeZone: a.timeZone, createdAt: a.createdAt };
    return { ...me, twoFactorRequired: settings.requireTwoFactor && !a.twoFactorEnabled, emailConfigured: deps.mailer.configured, aiConfigured: deps.aiConfigured ?? false };
  };

  r.openapi(
    createRoute({ method: 'get', operationId: 'getMe', path: '/me', tags, summary: 'The signed-in user', responses: { 200: json(MeSchema, 'You'), ...problems(401) } }),
    async (c) => c.json(await meOf(requireActor(c.get('ctx').actor)), 200),
  );

  // what the web app asks first on every page: whether someone is signed in is an answer, not an error (no 401 in the
  // browser's console on the sign-in page), and a signed-out visitor learns in the same round trip whether to set up
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getSession',
      path: '/session',
      tags,
      summary: 'Who is signed in (null when nobody is) and, when nobody is, whether this install still needs its first administrator',
      responses: { 200: json(SessionStateSchema, 'The session') },
    }),
    async (c) => {
      const actor = c.get('ctx').actor;
      if (actor) return c.json({ me: await meOf(actor), needsSetup: false }, 200);
      return c.json({ me: null, needsSetup: (await accounts.countUsers(db)) === 0 }, 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateMe',
      path: '/me',
      tags,
      summary: 'Change your name, language or time zone',
      request: { body: jsonBody(PreferencesSchema) },
      responses: { 200: json(UserSchema, 'You, updated'), ...problems(400, 401) },
    }),
    async (c) => c.json(await accounts.updatePreferences(db, c.get('ctx'), c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({ method: 'get', operationId: 'listMySessions', path: '/me/sessions', tags, summary: 'Your active sessions (devices signed in)', responses: { 200: json(z.object({ items: z.array(SessionSchema) }), 'Sessions'), ...problems(401) } }),
    async (c) => c.json({ items: await accounts.listMySessions(db, c.get('ctx')) }, 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'endMySession',
      path: '/me/sessions/{id}',
      tags,
      summary: 'End one of your sessions',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Ended' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      await accounts.endMySession(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({ method: 'get', operationId: 'listUsers', path: '/users', tags, summary: 'All accounts (admins)', request: { query: PageQuerySchema }, responses: { 200: json(pageSchema(UserSchema), 'Users'), ...problems(400, 401, 403) } }),
    async (c) => c.json(await accounts.listUsers(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateUser',
      path: '/users/{id}',
      tags,
      summary: "Change a user's role, or disable the account (ends its sessions at once)",
      request: { params: IdParamSchema, body: jsonBody(UpdateUserSchema) },
      responses: { 200: json(UserSchema, 'The user'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await accounts.updateUser(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({ method: 'get', operationId: 'listInvitations', path: '/invitations', tags, summary: 'Invitations, newest first (admins)', request: { query: PageQuerySchema }, responses: { 200: json(pageSchema(InvitationSchema), 'Invitations'), ...problems(400, 401, 403) } }),
    async (c) => c.json(await accounts.listInvitations(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createInvitation',
      path: '/invitations',
      tags,
      summary: 'Invite someone: emailed when SMTP is configured; the link is returned to pass on either way',
      request: { body: jsonBody(CreateInvitationSchema) },
      responses: { 201: json(CreatedInvitationSchema, 'The invitation and its link'), ...problems(400, 401, 403, 409) },
    }),
    async (c) =>
      c.json(await accounts.createInvitation(db, c.get('ctx'), c.req.valid('json'), { mailer: deps.mailer, publicUrl: deps.publicUrl, jobs: deps.jobs }), 201),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'revokeInvitation',
      path: '/invitations/{id}',
      tags,
      summary: 'Revoke a pending invitation',
      request: { params: IdParamSchema },
      responses: { 200: json(InvitationSchema, 'The revoked invitation'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await accounts.revokeInvitation(db, c.get('ctx'), c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'lookUpInvitation',
      path: '/invitations/lookup',
      tags,
      summary: 'What an invitation link is for (public; the token travels in the body, not the URL)',
      request: { body: jsonBody(z.strictObject({ token: z.string().min(1).max(200) })) },
      responses: { 200: json(PublicInvitationSchema, 'The invitation'), ...problems(400, 404, 429) },
    }),
    async (c) => {
      const limited = await limitPublic(c.get('ctx').ip);
      if (limited) return limited as never;
      return c.json(await accounts.getInvitationByToken(db, c.req.valid('json').token), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'acceptInvitation',
      path: '/invitations/accept',
      tags,
      summary: 'Accept an invitation: creates the account with the chosen password (public)',
      request: { body: jsonBody(AcceptInvitationSchema) },
      responses: { 201: json(UserSchema, 'The new account'), ...problems(400, 404, 409, 429) },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const limited = await limitPublic(ctx.ip);
      if (limited) return limited as never;
      return c.json(await accounts.acceptInvitation(db, ctx, c.req.valid('json')), 201);
    },
  );

  r.openapi(
    createRoute({ method: 'get', operationId: 'getSettings', path: '/settings', tags, summary: 'Install-wide settings (admins)', responses: { 200: json(SettingsSchema, 'Settings'), ...problems(401, 403) } }),
    async (c) => {
      authorize(c.get('ctx').actor, 'settings.manage');
      return c.json(await deps.settings.get(), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateSettings',
      path: '/settings',
      tags,
      summary: 'Change install-wide settings, e.g. require two-factor for everyone (admins)',
      request: { body: jsonBody(UpdateSettingsSchema) },
      responses: { 200: json(SettingsSchema, 'Settings'), ...problems(400, 401, 403) },
    }),
    async (c) => {
      const s = await accounts.updateSettings(db, c.get('ctx'), c.req.valid('json'));
      deps.settings.invalidate();
      return c.json(s, 200);
    },
  );

  return r;
}

function requireActor<T>(actor: T | null): T {
  if (!actor) throw new AppError('unauthenticated', 'not_signed_in', 'Sign in first.');
  return actor;
}

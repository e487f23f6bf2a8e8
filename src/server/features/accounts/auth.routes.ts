import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Db } from '../../db/client.ts';
import type { AppEnv } from '../../http/context.ts';
import { json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import { problemResponse } from '../../http/problem.ts';
import { authCode } from '../../http/problem-types.ts';
import { tooManyRequests } from '../../http/security.ts';
import type { Limit, RateLimits } from '../../runtime/rate-limits.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { EmailSchema, UserSchema } from './accounts.contract.ts';
import { verification } from './accounts.schema.ts';
import type { Auth } from './auth.ts';

export type AuthRoutesDeps = { db: Db; auth: Auth; limits: RateLimits; signInLimits: { account: Limit; address: Limit } };

/** Two-factor attempts per address, and each code accepted once (RFC 6238 §5.2) across every server. */
const TWO_FACTOR_ADDRESS: Limit = { name: 'two-factor.address', max: 50, windowMs: 15 * 60_000 };
const USED_CODE: Limit = { name: 'two-factor.used-code', max: 1, windowMs: 120_000 };

const tags = ['Sign-in and two-factor'];

const SignInSchema = z
  .strictObject({
    email: EmailSchema,
    password: z.string().min(1, 'Required').max(200),
    rememberMe: z.boolean().optional(),
  })
  .openapi('SignIn');

const SignInResultSchema = z
  .object({
    user: UserSchema.partial().optional(),
    twoFactorRedirect: z.boolean().optional().openapi({ description: 'true: send a TOTP or backup code to /api/auth/two-factor/verify-* next' }),
  })
  .passthrough()
  .openapi('SignInResult');

const PasswordBody = z.strictObject({ password: z.string().min(1, 'Required').max(200) });
const CodeBody = z.strictObject({ code: z.string().trim().min(6).max(32), trustDevice: z.boolean().optional() });

/**
 * The slice of better-auth that Convene exposes, declared here so it is validated and documented like
 * every other route. Each handler re-sends the validated body to better-auth and turns its errors into
 * problem+json. Anything else under /api/auth is not reachable.
 */
export function authRoutes(deps: AuthRoutesDeps) {
  const { auth, db } = deps;
  const r = newRouter();

  async function forward(c: Context<AppEnv>, body: unknown): Promise<Response> {
    const headers = new Headers(c.req.raw.headers);
    headers.set('x-convene-client-ip', c.get('ctx').ip);
    headers.set('content-type', 'application/json');
    // the body sent is the validated one, re-serialized (the request's own was limited to 64 KiB and read once)
    headers.delete('content-length');
    headers.delete('transfer-encoding');
    const res = await auth.handler(
      new Request(c.req.url, { method: 'POST', headers, body: body === undefined ? '{}' : JSON.stringify(body) }),
    );
    if (res.ok) return withoutSessionToken(res);
    let message = 'The request was refused.';
    let code = 'auth_error';
    try {
      const j = (await res.clone().json()) as { message?: string; code?: string };
      message = j.message ?? message;
      code = authCode((j.code ?? code).toLowerCase());
    } catch {
      /* not JSON */
    }
    return problemResponse(res.status, code, message);
  }

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'signInWithEmail',
      path: '/auth/sign-in/email',
      tags,
      summary: 'Sign in with email and password (sets the session cookie). Wrong password and unknown account get the same answer.',
      request: { body: jsonBody(SignInSchema) },
      responses: { 200: json(SignInResultSchema, 'Signed in, or a second factor is needed'), ...problems(400, 401, 403, 429) },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const body = c.req.valid('json');
      // failed attempts count: per account, and (five times as many, for offices behind one address) per address
      const { limits, signInLimits } = deps;
      const account = limits.key(`email:${body.email.toLowerCase()}`);
      const address = limits.key(`ip:${ctx.ip}`);
      const wait = Math.max(await limits.check(signInLimits.account, account), await limits.check(signInLimits.address, address));
      if (wait) return tooManyRequests(wait) as never;
      const res = await forward(c, body);
      if (!res.ok) {
        await limits.hit(signInLimits.account, account);
        await limits.hit(signInLimits.address, address);
      }
      if (res.ok) {
        const j = (await res.clone().json()) as { user?: { id: string; email: string }; twoFactorRedirect?: boolean };
        if (j.user) await recordAudit(db, ctx, { action: 'session.create', entityType: 'user', entityId: j.user.id, actorId: j.user.id, actorEmail: j.user.email, detail: { method: 'password' } });
      } else {
        await recordAudit(db, ctx, { action: 'session.sign_in_failed', entityType: 'user', entityId: null, actorId: null, actorEmail: null, detail: { email: body.email } });
      }
      return res as never;
    },
  );

  r.openapi(
    createRoute({ method: 'post', operationId: 'signOut', path: '/auth/sign-out', tags, summary: 'Sign out: ends this session', responses: { 200: json(z.object({ success: z.boolean() }), 'Signed out') } }),
    async (c) => {
      const ctx = c.get('ctx');
      const res = await forward(c, {});
      if (res.ok && ctx.actor) await recordAudit(db, ctx, { action: 'session.end', entityType: 'session', entityId: ctx.actor.sessionId, detail: { signOut: true } });
      return res as never;
    },
  );

  async function totpUserId(c: Context<AppEnv>): Promise<string | null> {
    const actor = c.get('ctx').actor;
    if (actor) return actor.id;
    const raw = getCookie(c, 'better-auth.two_factor') ?? getCookie(c, '__Secure-better-auth.two_factor');
    if (!raw) return null;
    // signed as "<identifier>.<signature>"; better-auth checks the signature, we only need the identifier
    const identifier = raw.slice(0, raw.lastIndexOf('.'));
    const [row] = await db.select({ userId: verification.value }).from(verification).where(eq(verification.identifier, identifier));
    return row?.userId ?? null;
  }

  const twoFactorRoute = (path: string, operationId: string, summary: string, body: z.ZodTypeAny, action: string | null, limit: boolean) =>
    r.openapi(
      createRoute({
        method: 'post',
        operationId,
        path: `/auth/two-factor/${path}`,
        tags,
        summary,
        request: { body: jsonBody(body) },
        responses: { 200: json(z.object({}).passthrough(), 'Done'), ...problems(400, 401, 429) },
      }),
      async (c) => {
        const ctx = c.get('ctx');
        const { limits } = deps;
        const address = limits.key(`2fa:${ctx.ip}`);
        if (limit) {
          const wait = await limits.check(TWO_FACTOR_ADDRESS, address);
          if (wait) return tooManyRequests(wait) as never;
        }
        const input = c.req.valid('json' as never) as { code?: string };
        // a code is claimed before it is checked, so that two servers never both accept it; a wrong code is released
        let claimed: string | undefined;
        if (path === 'verify-totp' && input.code) {
          const userId = await totpUserId(c);
          if (userId) {
            claimed = limits.key(`totp:${userId}:${input.code}`);
            if (await limits.hit(USED_CODE, claimed)) {
              await limits.hit(TWO_FACTOR_ADDRESS, address);
              return problemResponse(401, 'code_already_used', 'This code was already used. Wait for the next code in your app.') as never;
            }
          }
        }
        const res = await forward(c, input);
        if (limit && !res.ok) await limits.hit(TWO_FACTOR_ADDRESS, address);
        if (!res.ok && claimed) await limits.reset(USED_CODE, claimed);
        if (res.ok && action) {
          let userId = ctx.actor?.id ?? null;
          let email = ctx.actor?.email ?? null;
          try {
            const j = (await res.clone().json()) as { user?: { id: string; email: string } };
            if (j.user) ({ id: userId, email } = j.user);
          } catch {
            /* no body */
          }
          await recordAudit(db, ctx, { action, entityType: 'user', entityId: userId, actorId: userId, actorEmail: email });
        }
        return res as never;
      },
    );

  twoFactorRoute('enable', 'enableTwoFactor', 'Start turning on TOTP two-factor: returns the otpauth URI and backup codes; confirm with verify-totp', PasswordBody, 'two_factor.start', false);
  twoFactorRoute('disable', 'disableTwoFactor', 'Turn two-factor off (needs the password)', PasswordBody, 'two_factor.disable', false);
  twoFactorRoute('verify-totp', 'verifyTotpCode', 'Confirm a TOTP code: finishes sign-in, or finishes turning two-factor on', CodeBody, 'two_factor.verify', true);
  twoFactorRoute('verify-backup-code', 'verifyBackupCode', 'Finish sign-in with a backup code', CodeBody, 'two_factor.backup_code_used', true);
  twoFactorRoute('generate-backup-codes', 'generateBackupCodes', 'Replace your backup codes (needs the password)', PasswordBody, 'two_factor.backup_codes_regenerated', false);

  return r;
}

/** The session token lives in an httpOnly cookie; better-auth also puts it in the JSON body, where scripts could read it. */
async function withoutSessionToken(res: Response): Promise<Response> {
  if (!res.headers.get('content-type')?.includes('application/json')) return res;
  const body = (await res.json()) as Record<string, unknown>;
  delete body.token;
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status: res.status, headers });
}

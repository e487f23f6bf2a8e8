import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { twoFactor } from 'better-auth/plugins';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { account, session, twoFactor as twoFactorTable, user, verification } from './accounts.schema.ts';

export const SESSION_DAYS = 14;

export function createAuth(opts: { db: Db; secret: string; baseURL: string; trustedOrigins: string[] }) {
  const { db } = opts;
  return betterAuth({
    appName: 'Convene',
    secret: opts.secret,
    baseURL: opts.baseURL,
    basePath: '/api/auth',
    trustedOrigins: opts.trustedOrigins,
    database: drizzleAdapter(db as never, {
      provider: 'pg',
      schema: { user, session, account, verification, twoFactor: twoFactorTable },
    }),
    emailAndPassword: {
      enabled: true,
      // accounts come from the setup link and from invitations only
      disableSignUp: true,
      minPasswordLength: 10,
      maxPasswordLength: 200,
    },
    user: {
      additionalFields: {
        role: { type: 'string', input: false, defaultValue: 'viewer' },
        disabled: { type: 'boolean', input: false, defaultValue: false },
        locale: { type: 'string', input: false, defaultValue: 'en' },
        timeZone: { type: 'string', input: false, defaultValue: 'UTC' },
      },
    },
    session: {
      expiresIn: SESSION_DAYS * 24 * 3600,
      updateAge: 24 * 3600,
    },
    // we rate-limit sign-in ourselves (http/security.ts), per address and per account
    rateLimit: { enabled: false },
    advanced: {
      useSecureCookies: opts.baseURL.startsWith('https://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      ipAddress: { ipAddressHeaders: ['x-convene-client-ip'] },
    },
    telemetry: { enabled: false },
    databaseHooks: {
      session: {
        create: {
          before: async (s) => {
            const [u] = await db.select({ disabled: user.disabled }).from(user).where(eq(user.id, s.userId));
            // same answer as a wrong password: a disabled account reveals nothing
            if (!u || u.disabled) {
              throw new APIError('UNAUTHORIZED', { message: 'Invalid email or password', code: 'INVALID_EMAIL_OR_PASSWORD' });
            }
          },
        },
      },
    },
    plugins: [
      twoFactor({
        issuer: 'Convene',
        // the authenticator must prove it has the secret before two-factor is on
        skipVerificationOnEnable: false,
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

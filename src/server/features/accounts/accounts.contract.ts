import { z } from '@hono/zod-openapi';
import { LOCALES } from '../../../i18n/locales.ts';

export const RoleSchema = z.enum(['admin', 'staff', 'viewer']).openapi({ description: 'admin: everything; staff: read and write the pillars; viewer: read only' });
export const LocaleSchema = z.enum(LOCALES).openapi({ description: 'Interface language: en, he or ar' });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
export const TimeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, 'Not an IANA time zone (e.g. Asia/Jerusalem)')
  .openapi({ example: 'Asia/Jerusalem' });

export const EmailSchema = z.string().trim().toLowerCase().max(254).email('Not an email address');
export const PasswordSchema = z.string().min(10, 'At least 10 characters').max(200, 'At most 200 characters');
export const NameSchema = z.string().trim().min(1, 'Required').max(120, 'At most 120 characters');

export const UserSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: RoleSchema,
    disabled: z.boolean(),
    twoFactorEnabled: z.boolean(),
    locale: LocaleSchema,
    timeZone: z.string(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('User');

export const MeSchema = UserSchema.extend({
  /** the install requires two-factor and this user has not turned it on: only account routes answer */
  twoFactorRequired: z.boolean(),
  emailConfigured: z.boolean(),
  aiConfigured: z.boolean().openapi({ description: 'An AI provider is configured (translation, summaries, drafted variants, predicted rankings)' }),
}).openapi('Me');

export const SetupStatusSchema = z.object({ needsSetup: z.boolean() }).openapi('SetupStatus');

/** GET /api/session: the signed-in user or null, and (signed out) whether the first administrator is still to be created. */
export const SessionStateSchema = z.object({ me: MeSchema.nullable(), needsSetup: z.boolean() }).openapi('SessionState');

export const SetupRequestSchema = z
  .strictObject({
    token: z.string().min(1).max(200).openapi({ description: 'The one-time token from the setup link the server printed' }),
    name: NameSchema,
    email: EmailSchema,
    password: PasswordSchema,
    locale: LocaleSchema.default('en'),
    timeZone: TimeZoneSchema.default('UTC'),
  })
  .openapi('SetupRequest');

export const PreferencesSchema = z
  .strictObject({
    name: NameSchema.optional(),
    locale: LocaleSchema.optional(),
    timeZone: TimeZoneSchema.optional(),
  })
  .openapi('Preferences');

export const InvitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    locale: LocaleSchema,
    invitedBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    emailedAt: z.string().nullable(),
  })
  .openapi('Invitation');

export const CreateInvitationSchema = z
  .strictObject({
    email: EmailSchema,
    name: NameSchema,
    role: RoleSchema.default('staff'),
    locale: LocaleSchema.default('en'),
  })
  .openapi('CreateInvitation');

export const CreatedInvitationSchema = z
  .object({
    invitation: InvitationSchema,
    /** the link to pass on; shown once, only to the admin who created it */
    link: z.string(),
    emailed: z.boolean().openapi({
      description: 'true: the email is queued (sent in the background and retried; invitation.emailedAt says when it left); false: email is not configured, pass the link on',
    }),
  })
  .openapi('CreatedInvitation');

export const PublicInvitationSchema = z
  .object({ email: z.string(), name: z.string(), role: RoleSchema, locale: LocaleSchema })
  .openapi('PublicInvitation');

export const AcceptInvitationSchema = z
  .strictObject({
    token: z.string().min(1).max(200),
    name: NameSchema.optional(),
    password: PasswordSchema,
    timeZone: TimeZoneSchema.optional(),
  })
  .openapi('AcceptInvitation');

export const UpdateUserSchema = z
  .strictObject({
    role: RoleSchema.optional(),
    disabled: z.boolean().optional().openapi({ description: 'true ends all of the user\'s sessions at once' }),
  })
  .openapi('UpdateUser');

export const SessionSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .openapi('Session');

const OrganisationNameSchema = z
  .object({ en: z.string().max(200).optional(), he: z.string().max(200).optional(), ar: z.string().max(200).optional() })
  .openapi('OrganisationName', {
    description: "The name of the organisation that runs this Convene, per language (any may be missing: the pages use another); shown on the public survey and dialogue pages",
  });
export const SettingsSchema = z
  .object({
    requireTwoFactor: z.boolean().openapi({ description: 'Every user must turn on TOTP two-factor before using the app' }),
    organisationName: OrganisationNameSchema,
  })
  .openapi('Settings');
export const UpdateSettingsSchema = z
  .strictObject({
    requireTwoFactor: z.boolean().optional(),
    organisationName: z
      .strictObject({ en: z.string().trim().max(200).optional(), he: z.string().trim().max(200).optional(), ar: z.string().trim().max(200).optional() })
      .optional()
      .openapi({ description: 'Replaces the names in every language; an empty or missing one is removed' }),
  })
  .openapi('UpdateSettings');

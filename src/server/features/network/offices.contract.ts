import { z } from '@hono/zod-openapi';
import { RoleSchema, TimeZoneSchema } from '../accounts/accounts.contract.ts';
import { UuidSchema } from './common.contract.ts';

const OfficeNameSchema = z.string().trim().min(1, 'Required').max(120, 'At most 120 characters');
const CitySchema = z.string().trim().min(1, 'Required').max(120, 'At most 120 characters');

export const OfficeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    city: z.string(),
    /** IANA time zone of the office */
    timeZone: z.string(),
    /** accounts assigned to this office */
    staffCount: z.number().int(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Office');

export const CreateOfficeSchema = z
  .strictObject({ name: OfficeNameSchema, city: CitySchema, timeZone: TimeZoneSchema })
  .openapi('CreateOffice');

export const UpdateOfficeSchema = z
  .strictObject({ name: OfficeNameSchema.optional(), city: CitySchema.optional(), timeZone: TimeZoneSchema.optional() })
  .openapi('UpdateOffice');

export const StaffMemberSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: RoleSchema,
    disabled: z.boolean(),
    /** the user's own time zone (preferences) */
    timeZone: z.string(),
    office: z.object({ id: z.string(), name: z.string(), city: z.string(), timeZone: z.string() }).nullable(),
  })
  .openapi('StaffMember');

export const StaffQuerySchema = z.object({
  officeId: UuidSchema.optional().openapi({ description: 'Only the accounts of this office' }),
  role: RoleSchema.optional(),
  includeDisabled: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Disabled accounts are left out unless true' }),
});

export const AssignOfficeSchema = z
  .strictObject({ officeId: UuidSchema.nullable().openapi({ description: 'null takes the account out of any office' }) })
  .openapi('AssignOffice');

export type OfficeDto = z.infer<typeof OfficeSchema>;
export type StaffMemberDto = z.infer<typeof StaffMemberSchema>;

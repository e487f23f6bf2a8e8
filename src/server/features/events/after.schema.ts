import { primaryKey, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { person } from '../network/network.schema.ts';
import { registration } from './events.schema.ts';

/**
 * The reminders a registrant was sent (day_before | day_of): claimed in the transaction that asks for the email, so
 * each is sent once whatever the sweep's schedule or the number of servers (reminders.service.ts).
 */
export const eventReminder = pgTable(
  'event_reminder',
  {
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => registration.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.registrationId, t.kind] })],
);

/** A registrant who agreed to hear from the alliance again, turned into a Network person by staff (retention.service.ts). */
export const registrationPerson = pgTable('registration_person', {
  registrationId: uuid('registration_id')
    .primaryKey()
    .references(() => registration.id, { onDelete: 'cascade' }),
  personId: uuid('person_id').references(() => person.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

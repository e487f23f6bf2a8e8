// "Time is Now" (issue 12): the arena gathering of 1 July 2024 as an event of the demo, after it happened. 50
// co-hosts from the demo network (the coalition's co-organisers first, then members), two ticket types (general
// 5,500, youth 500), 6,000 fictional registrations over the six weeks before (5,500 general tickets, 400 youth, 100
// who waited for a general place and whose offers ran out), each through a co-host's link or directly, and a door
// history: six phones at three gates, about 88% of tickets admitted, some scanned twice, and three conflicts (a phone
// offline admitted tickets another had admitted), recorded through the phones' own service (door.ts). Registrations
// are inserted in batches, matching the schema; ticket codes are really signed with the event's key, so the door
// verifies them. Deterministic (its own random sequence).
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../server/db/client.ts';
import { event, eventCohost, eventSigningKey, referralLink, registration, registrationQuestion, ticket, ticketType, waitlistEntry } from '../../server/features/events/events.schema.ts';
import { generateEventKeys, signTicketCode } from '../../server/features/events/ticket-code.ts';
import { seedDoor } from './door.ts';
import { regionalPerson } from './names.ts';
import { makeRng } from './rng.ts';

const BATCH = 500;
const REGISTRATIONS = 6_000;

async function insertAll<T>(db: Db, items: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += BATCH) await write(items.slice(i, i + BATCH));
}

export async function seedTimeIsNow(db: Db, opts: { createdBy: string | null }): Promise<{ eventId: string; registrations: number; tickets: number; conflicts: number }> {
  const rng = makeRng(12_2024);
  const uuid = () => rng.uuid();
  // co-hosts: the coalition's co-organisers, then other member organisations, 50 in all
  const orgs = await rows<{ id: string }>(
    db,
    sql`SELECT o.id FROM organisation o
        LEFT JOIN organisation_link l ON l.from_id = o.id AND l.kind = 'co_organiser_of'
        WHERE o.kind = 'member' OR l.id IS NOT NULL
        GROUP BY o.id ORDER BY bool_or(l.id IS NOT NULL) DESC, o.id LIMIT 50`,
  );
  const starts = new Date('2024-07-01T15:00:00Z'); // 18:00 in Tel Aviv
  const ends = new Date('2024-07-01T20:00:00Z');
  const eventId = uuid();
  const keys = generateEventKeys();
  await db.insert(event).values({
    id: eventId,
    slug: 'time-is-now',
    title: { en: 'Time is Now', he: 'הגיע הזמן', ar: 'حان الوقت' },
    description: {
      en: 'Israelis and Palestinians, thousands together in one arena, for a shared future of peace, equality and dignity.',
      he: 'ישראלים ופלסטינים, אלפים יחד באולם אחד, למען עתיד משותף של שלום, שוויון וכבוד.',
      ar: 'إسرائيليون وفلسطينيون، الآلاف معًا في قاعة واحدة، من أجل مستقبل مشترك من السلام والمساواة والكرامة.',
    },
    practicalInfo: { en: 'Doors open at 16:30. Bring an ID. Shuttles from Jerusalem, Haifa and Be’er Sheva.', he: 'הדלתות נפתחות ב־16:30. הביאו תעודה מזהה. הסעות מירושלים, חיפה ובאר שבע.', ar: 'تُفتح الأبواب الساعة 16:30. أحضروا بطاقة هوية. حافلات من القدس وحيفا وبئر السبع.' },
    accessibility: { en: 'Step-free access and accessible seating at the North gate; interpretation in Hebrew, Arabic and English.' },
    venueName: 'Menora Mivtachim Arena',
    venueAddress: 'Yigal Alon St 51, Tel Aviv-Yafo',
    mapUrl: 'https://www.openstreetmap.org/search?query=Menora%20Mivtachim%20Arena',
    startsAt: starts,
    endsAt: ends,
    timeZone: 'Asia/Jerusalem',
    languages: ['he', 'ar', 'en'],
    gates: ['North', 'South', 'VIP'],
    status: 'closed',
    retentionDays: 3650,
    keptRetentionDays: 3650,
    createdBy: opts.createdBy,
    createdAt: new Date('2024-05-10T09:00:00Z'),
  });
  await db.insert(eventSigningKey).values({ eventId, publicKey: keys.publicKey, privateKey: keys.privateKey });
  const general = uuid();
  const youth = uuid();
  await db.insert(ticketType).values([
    { id: general, eventId, name: { en: 'General', he: 'כללי', ar: 'عام' }, capacity: 5_500, taken: 5_500, position: 0, perPersonLimit: 1 },
    { id: youth, eventId, name: { en: 'Youth (under 26)', he: 'נוער (עד 26)', ar: 'شباب (حتى 26)' }, capacity: 500, taken: 400, position: 1, perPersonLimit: 1 },
  ]);
  const terms = uuid();
  const share = uuid();
  const hear = uuid();
  await db.insert(registrationQuestion).values([
    { id: terms, eventId, kind: 'consent', consentPurpose: 'terms', label: { en: 'I agree to the event’s terms', he: 'מסכימים לתנאי האירוע', ar: 'أوافق على شروط الفعالية' }, required: true, position: 0 },
    { id: share, eventId, kind: 'consent', consentPurpose: 'share_with_cohost', label: { en: 'Share my name and email with the organisation that invited me', he: 'אפשר לשתף את השם והמייל שלי עם הארגון שהזמין אותי', ar: 'شارِكوا اسمي وبريدي مع المنظمة التي دعتني' }, position: 1 },
    { id: hear, eventId, kind: 'consent', consentPurpose: 'hear_again', label: { en: 'Tell me about the alliance’s next events', he: 'ספרו לי על האירועים הבאים של הקואליציה', ar: 'أخبروني عن فعاليات التحالف القادمة' }, position: 2 },
  ]);
  // co-hosts: a lead, co-hosts, and supporters; half share contacts
  const links: { id: string; organisationId: string }[] = [];
  await db.insert(eventCohost).values(
    orgs.map((o, i) => ({ eventId, organisationId: o.id, role: i === 0 ? 'lead' : i < 40 ? 'cohost' : 'supporter', sharingMode: i % 2 === 0 ? 'contacts' : 'aggregate', createdAt: new Date('2024-05-12T09:00:00Z') })),
  );
  const linkRows = orgs.flatMap((o, i) => {
    const channels = i < 10 ? ['newsletter', 'whatsapp'] : ['newsletter'];
    return channels.map((channel) => {
      const id = uuid();
      links.push({ id, organisationId: o.id });
      return { id, eventId, organisationId: o.id, code: createHash('sha256').update(`demo-link-${id}`).digest('base64url').slice(0, 22), channel, createdBy: opts.createdBy, createdAt: new Date('2024-05-12T10:00:00Z') };
    });
  });
  await db.insert(referralLink).values(linkRows);

  // registrations over six weeks, faster towards the day; the first 5,500 general and 400 youth (in time order) hold
  // tickets, the last 100 waited in vain
  const opened = new Date('2024-05-15T06:00:00Z').getTime();
  const closed = starts.getTime() - 3_600_000;
  const regs: (typeof registration.$inferInsert)[] = [];
  const tickets: (typeof ticket.$inferInsert)[] = [];
  const waits: (typeof waitlistEntry.$inferInsert)[] = [];
  const sides = ['IL-jewish', 'IL-arab', 'PS'] as const;
  for (let i = 0; i < REGISTRATIONS; i++) {
    const id = uuid();
    const p = regionalPerson(rng, rng.pick(sides), i);
    const at = new Date(opened + Math.sqrt(rng()) * (closed - opened));
    const link = rng.chance(0.8) ? rng.pick(links) : null;
    const consents: Record<string, string> = { terms: at.toISOString() };
    if (rng.chance(0.6)) consents.share_with_cohost = at.toISOString();
    if (rng.chance(0.4)) consents.hear_again = at.toISOString();
    regs.push({
      id,
      eventId,
      email: p.email,
      name: p.display,
      language: rng.chance(0.15) ? 'en' : p.language,
      answers: {},
      consents,
      referralLinkId: link?.id ?? null,
      referrerOrganisationId: link?.organisationId ?? null,
      manageTokenHash: createHash('sha256').update(`demo-registration-${id}`).digest('base64url'),
      createdAt: at,
      updatedAt: at,
    });
  }
  regs.sort((a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime());
  let generalLeft = 5_500;
  let youthLeft = 400;
  for (const r of regs) {
    let typeId: string;
    if (youthLeft > 0 && rng.chance(0.07)) {
      youthLeft--;
      typeId = youth;
    } else if (generalLeft > 0) {
      generalLeft--;
      typeId = general;
    } else if (youthLeft > 0) {
      youthLeft--;
      typeId = youth;
    } else {
      waits.push({ id: uuid(), eventId, ticketTypeId: general, registrationId: r.id!, status: 'expired', createdAt: r.createdAt, updatedAt: starts, offeredAt: new Date(starts.getTime() - 30 * 3_600_000), offerExpiresAt: new Date(starts.getTime() - 6 * 3_600_000) });
      continue;
    }
    const id = uuid();
    tickets.push({ id, eventId, registrationId: r.id!, ticketTypeId: typeId, code: signTicketCode(keys.privateKey, { eventId, ticketId: id, version: 1 }), createdAt: r.createdAt });
  }
  await insertAll(db, regs, (c) => db.insert(registration).values(c));
  await insertAll(db, tickets, (c) => db.insert(ticket).values(c));
  await insertAll(db, waits, (c) => db.insert(waitlistEntry).values(c));
  // the counts as the types hold them
  await db.execute(sql`UPDATE ticket_type t SET taken = (SELECT count(*) FROM ticket k WHERE k.ticket_type_id = t.id AND k.status = 'valid') WHERE t.event_id = ${eventId}`);

  // the door, through the phones' own service (door.ts): six phones at three gates, ~88% of tickets admitted between
  // 16:30 and 18:30, some scanned twice or forged, three conflicts from a phone that was offline
  const door = await seedDoor(db, eventId, rng, ends, { share: 0.88, conflicts: 3, createdBy: opts.createdBy });
  return { eventId, registrations: regs.length, tickets: tickets.length, conflicts: door.conflicts };
}

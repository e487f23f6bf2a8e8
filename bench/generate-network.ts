// The scale network for the benchmarks: the demo's kind of data (names in three scripts, members in the
// region's places, meetings in their zones, need-to-know restrictions) at 2,000 organisations, 50,000
// people, 200,000 meetings and 1,000,000 attendance links (meeting_organisation + meeting_person), times
// BENCH_SCALE. Inserted straight through Drizzle in multi-row INSERTs of 1,000 rows.
//
//   npx tsx bench/generate-network.ts                       # into a temp PGlite folder, then removed
//   npx tsx bench/generate-network.ts --pg postgres://…     # into that (empty, migrated here) database
import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import path from 'node:path';
import { memberOrganisationNames, regionalPerson } from '../src/cli/demo/names.ts';
import { makeRng } from '../src/cli/demo/rng.ts';
import { zoned } from '../src/cli/demo/time.ts';
import { SHARED_ITEMS, TOPICS } from '../src/cli/demo/topics.ts';
import { openDatabase, type Database, type Db } from '../src/server/db/client.ts';
import { createUserWithPassword } from '../src/server/features/accounts/accounts.service.ts';
import { followUp, meeting, meetingOrganisation, meetingPerson, meetingStaff, meetingTopic, sharedItem, topic } from '../src/server/features/meetings/meetings.schema.ts';
import { detectScript, normalizeName } from '../src/server/features/network/names.ts';
import { affiliation, office, organisation, organisationName, person, personContact, personName, staffOffice } from '../src/server/features/network/network.schema.ts';
import { accessGrant } from '../src/server/access/access.schema.ts';
import { isMain, removeDir, tempDir } from './lib.ts';

export const FULL = { organisations: 2000, people: 50_000, meetings: 200_000, links: 1_000_000 };
const BATCH = 1000;

export const BENCH_STAFF = { email: 'bench-staff@example.org', password: 'correct horse battery staple', name: 'Bench Staff' };

export type Generated = {
  counts: Record<string, number>;
  ms: number;
  rowsPerSecond: number;
  /** an Arabic organisation name as stored, and the same with a typo (for the search benchmark) */
  arabicName: string;
  arabicTypo: string;
  /** what staff type into the search box: names in three scripts with a typo, a person, a city, a topic */
  searchQueries: string[];
  /** organisation display names, for import rows that name an organisation */
  sampleOrganisations: string[];
};

export function scaleFromEnv(): number {
  const s = Number(process.env.BENCH_SCALE ?? 1);
  return Number.isFinite(s) && s > 0 ? s : 1;
}

type GenerateOptions = { scale?: number; seed?: number; log?: (line: string) => void };

/**
 * Fills an empty, migrated database in one transaction. Makes 12 staff accounts (one with BENCH_STAFF's
 * password). Triggers (foreign-key checks included) are off for the load (session_replication_role =
 * replica, as a bulk load from a dump does): the rows are made consistent here, what row triggers would
 * write (meeting_organisation.starts_at and meeting_restricted) is written here too, and the read models
 * (read_model.*) are rebuilt from the loaded rows at the end.
 */
export async function generateNetwork(db: Db, opts: GenerateOptions = {}): Promise<Generated> {
  const t0 = performance.now();
  const out = await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    const filled = await fill(tx, opts, t0);
    // the read models of migration 0005, filled from the loaded rows as their triggers would have
    await tx.execute(sql`SELECT read_model.rebuild()`);
    return filled;
  });
  await db.execute(sql`ANALYZE`);
  out.ms = performance.now() - t0;
  out.rowsPerSecond = Object.entries(out.counts).filter(([k]) => k !== 'attendance_links').reduce((a, [, v]) => a + v, 0) / (out.ms / 1000);
  return out;
}

async function fill(db: Db, opts: GenerateOptions, t0: number): Promise<Generated> {
  const scale = opts.scale ?? 1;
  const log = opts.log ?? (() => {});
  const rng = makeRng(opts.seed ?? 7);
  const nOrgs = Math.round(FULL.organisations * scale);
  const nPeople = Math.round(FULL.people * scale);
  const nMeetings = Math.round(FULL.meetings * scale);
  const linksPerMeeting = FULL.links / FULL.meetings; // 5: about 3 organisations and 2 people
  const counts: Record<string, number> = {};
  let rows = 0;

  let insertMs = 0;
  const insert = async (table: PgTable, name: string, values: Record<string, unknown>[]) => {
    const t = performance.now();
    for (let i = 0; i < values.length; i += BATCH) await db.execute(sql.raw(insertText(table, values.slice(i, i + BATCH))));
    counts[name] = (counts[name] ?? 0) + values.length;
    rows += values.length;
    insertMs += performance.now() - t;
  };

  // staff: one signs in for the benchmarks; the others own organisations and attend meetings
  const staffIds: string[] = [];
  const me = await createUserWithPassword(db, { ...BENCH_STAFF, role: 'staff', locale: 'en', timeZone: 'Asia/Jerusalem' });
  staffIds.push(me.id);
  for (let i = 1; i < 12; i++) {
    const u = await createUserWithPassword(db, { name: `Staff ${i}`, email: `bench-staff-${i}@example.org`, password: BENCH_STAFF.password, role: 'staff', locale: 'en', timeZone: 'Europe/Berlin' });
    staffIds.push(u.id);
  }
  const officeId = rng.uuid();
  await insert(office, 'office', [{ id: officeId, name: 'Jerusalem', city: 'Jerusalem', timeZone: 'Asia/Jerusalem' }]);
  await insert(staffOffice, 'staff_office', staffIds.map((userId) => ({ userId, officeId })));
  const topicIds = TOPICS.map(() => rng.uuid());
  await insert(topic, 'topic', TOPICS.map((t, i) => ({ id: topicIds[i], key: t.key, nameEn: t.en, nameHe: t.he, nameAr: t.ar })));

  // organisations: mostly members, some funders and missions
  const names = memberOrganisationNames(rng, nOrgs);
  const orgs = names.map((n, i) => ({ id: rng.uuid(), n, kind: i % 20 === 7 ? 'funder' : i % 20 === 13 ? 'mission' : 'member', people: [] as string[] }));
  const statuses = ['active', 'active', 'active', 'active', 'active', 'active', 'active', 'prospective', 'suspended', 'former'];
  await insert(
    organisation,
    'organisation',
    orgs.map((o) => ({
      id: o.id,
      kind: o.kind,
      status: o.kind === 'member' ? rng.pick(statuses) : null,
      name: o.n.en,
      country: o.n.place.country,
      area: o.n.place.area,
      city: o.n.place.city,
      languages: o.n.place.country === 'IL' ? ['he', 'en'] : ['ar', 'en'],
      tags: [o.n.sector],
      ownerId: rng.pick(staffIds),
    })),
  );
  await insert(
    organisationName,
    'organisation_name',
    orgs.flatMap((o) => [o.n.en, o.n.he, o.n.ar].map((name) => ({ id: rng.uuid(), organisationId: o.id, name, script: detectScript(name), kind: 'official', norm: normalizeName(name) }))),
  );
  log(`  organisations: ${orgs.length} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // people, in chunks: names in two or three scripts, an email, an affiliation
  const personIds: string[] = new Array(nPeople);
  const samplePeople: string[] = [];
  for (let start = 0; start < nPeople; start += 5000) {
    const p: Record<string, unknown>[] = [];
    const pn: Record<string, unknown>[] = [];
    const pc: Record<string, unknown>[] = [];
    const af: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(nPeople, start + 5000); i++) {
      const org = orgs[i % orgs.length]!;
      const side = org.n.place.country === 'PS' ? 'PS' : rng.chance(0.3) ? 'IL-arab' : 'IL-jewish';
      const r = regionalPerson(rng, side, i);
      if (i % 9973 === 17) samplePeople.push(...r.names.map((n) => n.name));
      const id = rng.uuid();
      personIds[i] = id;
      org.people.push(id);
      const restricted = rng.chance(0.005);
      p.push({ id, displayName: r.display, preferredLanguage: r.language, restricted, createdBy: restricted ? staffIds[0] : null });
      for (const n of r.names) pn.push({ id: rng.uuid(), personId: id, name: n.name, script: detectScript(n.name), kind: n.kind, norm: normalizeName(n.name) });
      pc.push({ id: rng.uuid(), personId: id, kind: 'email', value: r.email });
      af.push({ id: rng.uuid(), personId: id, organisationId: org.id, title: 'Programme manager' });
    }
    await insert(person, 'person', p);
    await insert(personName, 'person_name', pn);
    await insert(personContact, 'person_contact', pc);
    await insert(affiliation, 'affiliation', af);
  }
  log(`  people: ${nPeople} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // meetings over three years, in chunks of 1,000 with their links
  const now = Date.now();
  const members = orgs.filter((o) => o.kind === 'member');
  const grants: Record<string, unknown>[] = [];
  for (let start = 0; start < nMeetings; start += BATCH) {
    const ms: Record<string, unknown>[] = [];
    const mo: Record<string, unknown>[] = [];
    const mp: Record<string, unknown>[] = [];
    const st: Record<string, unknown>[] = [];
    const mt: Record<string, unknown>[] = [];
    const si: Record<string, unknown>[] = [];
    const fu: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(nMeetings, start + BATCH); i++) {
      const id = rng.uuid();
      // about three organisations and two people, so five links a meeting on average
      const orgCount = rng.chance(0.1) ? rng.int(6, 12) : rng.int(1, 3);
      const present = rng.sample(members, orgCount);
      const first = present[0]!;
      const place = first.n.place;
      const startsAt = zoned(new Date(now - rng.int(0, 3 * 365) * 86_400_000).toISOString().slice(0, 10) + `T${String(rng.int(8, 18)).padStart(2, '0')}:00`, place.zone);
      const kind = orgCount > 3 ? 'group' : rng.pick(['one_on_one', 'call', 'site_visit', 'group', 'diplomatic']);
      const title = kind === 'group' ? `Members' round table in ${place.names[0]}` : `${kind === 'call' ? 'Call with' : 'Meeting with'} ${first.n.en}`;
      const restricted = rng.chance(0.03);
      const staff = rng.sample(staffIds, rng.int(1, 2));
      ms.push({ id, kind, title, titleNorm: normalizeName(title), startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), timeZone: place.zone, city: place.city, venue: 'Their office', online: kind === 'call', restricted, notesRestricted: rng.chance(0.05), notes: 'Notes of the meeting.', createdBy: staff[0] });
      // starts_at and meeting_restricted mirror the meeting (a trigger sets them, but triggers are off here)
      for (const o of present) mo.push({ meetingId: id, organisationId: o.id, role: 'participant', startsAt, meetingRestricted: restricted });
      const peopleWanted = Math.max(0, Math.round(linksPerMeeting - present.length + (rng() - 0.5) * 2));
      const seen = new Set<string>();
      for (let k = 0; k < peopleWanted; k++) {
        const o = rng.pick(present);
        if (!o.people.length) continue;
        const pid = rng.pick(o.people);
        if (seen.has(pid)) continue;
        seen.add(pid);
        mp.push({ meetingId: id, personId: pid, organisationId: o.id, role: 'participant' });
      }
      for (const s of staff) st.push({ meetingId: id, userId: s });
      mt.push({ meetingId: id, topicId: rng.pick(topicIds) });
      if (restricted) grants.push({ id: rng.uuid(), recordType: 'meeting', recordId: id, userId: staff[0], grantedBy: staff[0] });
      if (rng.chance(0.5)) {
        const item = rng.pick(SHARED_ITEMS);
        const body = first.n.place.country === 'PS' ? item.ar : item.he;
        si.push({ id: rng.uuid(), meetingId: id, organisationId: first.id, topicId: topicIds[TOPICS.findIndex((t) => t.key === item.topic)], kind: item.kind, body, bodyNorm: normalizeName(body), status: rng.pick(['open', 'open', 'addressed', 'closed']), createdAt: startsAt, updatedAt: startsAt });
      }
      if (rng.chance(0.1)) {
        fu.push({ id: rng.uuid(), title: `Follow up with ${first.n.en}`, ownerId: rng.pick(staffIds), dueDate: new Date(startsAt.getTime() + 14 * 86_400_000).toISOString().slice(0, 10), status: rng.chance(0.6) ? 'done' : 'open', meetingId: id, organisationId: first.id, createdAt: startsAt });
      }
    }
    await insert(meeting, 'meeting', ms);
    await insert(meetingOrganisation, 'meeting_organisation', mo);
    await insert(meetingPerson, 'meeting_person', mp);
    await insert(meetingStaff, 'meeting_staff', st);
    await insert(meetingTopic, 'meeting_topic', mt);
    await insert(sharedItem, 'shared_item', si);
    await insert(followUp, 'follow_up', fu);
    if ((start / BATCH) % 20 === 19) log(`  meetings: ${start + BATCH} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${(insertMs / 1000).toFixed(1)} s of it in INSERTs)`);
  }
  await insert(accessGrant, 'access_grant', grants);

  const ms = performance.now() - t0;
  const ar = orgs.find((o) => o.kind === 'member' && o.n.ar.split(' ').some((w) => w.length >= 6))!.n.ar;
  return {
    counts: { ...counts, attendance_links: (counts.meeting_organisation ?? 0) + (counts.meeting_person ?? 0) },
    ms,
    rowsPerSecond: rows / (ms / 1000),
    arabicName: ar,
    arabicTypo: withTypo(ar),
    searchQueries: [
      withTypo(ar),
      withTypo(orgs[11]!.n.he),
      withTypo(orgs[23]!.n.en),
      ...samplePeople.slice(0, 3).map((n, i) => (i === 1 ? withTypo(n) : n)),
      orgs[5]!.n.place.city,
      TOPICS[0]!.en.split(' ')[0]!,
    ],
    sampleOrganisations: members.slice(0, 200).map((o) => o.n.en),
  };
}

/**
 * One multi-row INSERT as plain SQL text with literal values: binding thousands of parameters costs PGlite
 * more than parsing literals. Values are generated here, never user input, but are quoted properly anyway.
 */
function insertText(table: PgTable, rows: Record<string, unknown>[]): string {
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => rows.some((r) => r[key] !== undefined));
  const lit = (v: unknown): string => {
    if (v === null || v === undefined) return 'DEFAULT';
    if (typeof v === 'boolean' || typeof v === 'number') return String(v);
    if (v instanceof Date) return `'${v.toISOString()}'`;
    if (Array.isArray(v)) return `ARRAY[${v.map(lit).join(',')}]::text[]`;
    return `'${String(v).replace(/'/g, "''")}'`;
  };
  const values = rows.map((r) => `(${columns.map(([key]) => (r[key] === null ? 'NULL' : lit(r[key]))).join(',')})`);
  return `INSERT INTO "${getTableName(table)}" (${columns.map(([, c]) => `"${c.name}"`).join(',')}) VALUES ${values.join(',')}`;
}

/** Drops one letter from the middle of the longest word: "العدالة" -> "العدلة". */
export function withTypo(name: string): string {
  const words = name.split(' ');
  let longest = 0;
  words.forEach((w, i) => {
    if ([...w].length > [...words[longest]!].length) longest = i;
  });
  const chars = [...words[longest]!];
  chars.splice(Math.floor(chars.length / 2), 1);
  words[longest] = chars.join('');
  return words.join(' ');
}

/** Opens (and migrates) the database a benchmark server will use: PGlite in dataDir, or PostgreSQL. */
export async function openBenchDatabase(target: { dataDir: string } | { url: string }): Promise<Database> {
  const database = 'url' in target ? await openDatabase({ kind: 'postgres', url: target.url, max: 4 }) : await openDatabase({ kind: 'pglite', dataDir: path.join(target.dataDir, 'pglite') });
  await database.migrate();
  return database;
}

export function printGenerated(label: string, g: Generated) {
  console.log(`  generated ${label} in ${(g.ms / 1000).toFixed(1)} s (${Math.round(g.rowsPerSecond).toLocaleString('en')} rows/s):`);
  console.log(`    ${Object.entries(g.counts).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
}

if (isMain(import.meta.url)) {
  const scale = scaleFromEnv();
  const pgAt = process.argv.indexOf('--pg');
  const url = pgAt > 0 ? process.argv[pgAt + 1] : undefined;
  const dir = url ? undefined : tempDir();
  const database = await openBenchDatabase(url ? { url } : { dataDir: dir! });
  try {
    console.log(`Generating the scale network ×${scale} on ${url ? 'PostgreSQL' : 'PGlite'}…`);
    printGenerated(url ? '(PostgreSQL)' : '(PGlite)', await generateNetwork(database.db, { scale, log: console.log }));
  } finally {
    await database.close();
    if (dir) removeDir(dir);
  }
}

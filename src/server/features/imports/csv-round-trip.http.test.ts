import { parse } from 'csv-parse/sync';
import { count } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { isNumberOrPhone } from './csv-defuse.ts';
import { csvLine, parseCsv } from './csv.ts';
import { organisation, person } from '../network/network.schema.ts';
import { buildDialogue, buildParticipant, buildStatement, buildVotes } from '../../../../tests/setup/dialogue-factories.ts';
import { buildFollowUp, buildMeeting, buildOrganisation, buildPerson, buildTopic } from '../../../../tests/setup/network-factories.ts';
import { buildStudy } from '../../../../tests/setup/study-factories.ts';
import { createTestApp, type TestClient } from '../../../../tests/setup/test-app.ts';

// Every CSV Convene writes defuses what a spreadsheet would run as a formula (a leading apostrophe), except plain
// numbers and phone numbers; every CSV Convene reads undoes exactly that. So an export is safe to open in a
// spreadsheet AND imports back with no error and no change.

const t = await createTestApp();
let staff: TestClient & { user: { id: string; email: string } };

const HOSTILE_ORGS = ['=HYPERLINK("http://evil.example","Click")', '+Plus Foundation', '@Home Collective', '-Dash Peace-'];
const PHONES = ['+970 59 123 4567', '+1 (202) 555-0100', '+972-2-123-4567'];

/** A raw cell a spreadsheet would run as a formula: starts with = + - @ TAB CR and is not a number or phone number. */
const runnable = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !isNumberOrPhone(cell);

/** A CSV as Convene's reader sees it: rows as objects by column, values undefused. */
async function read(text: string): Promise<Record<string, string>[]> {
  const parsed = await parseCsv(text);
  return parsed.rows.map((r) => Object.fromEntries(parsed.columns.map((c, i) => [c, r.cells[i] ?? ''])));
}

/** A CSV as a spreadsheet sees it: raw cells. */
function raw(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true }) as Record<string, string>[];
}

async function getJson(path: string) {
  const res = await staff.get(path);
  expect(res.status, path).toBe(200);
  return res.json();
}

async function exportText(list: string): Promise<string> {
  const res = await staff.get(`/api/exports/${list}.csv?bom=1`);
  expect(res.status).toBe(200);
  return res.text();
}

/** Preview, then commit, the export as it came: no row errors, every row an existing record, nothing created. */
async function reimport(list: 'organisations' | 'people', csv: string) {
  const preview = await (await staff.post('/api/imports/preview', { list, csv })).json();
  expect(preview.errors).toEqual([]);
  expect(preview.actions.create).toBe(0);
  const commit = await staff.post('/api/imports/commit', { list, csv });
  expect(commit.status, await commit.clone().text()).toBe(200);
  const result = await commit.json();
  expect(result.created).toBe(0);
  return { preview, result };
}

let orgIds: string[] = [];
let personIds: string[] = [];

beforeAll(async () => {
  staff = (await t.signedIn('staff')) as never;
  const orgs = [
    await buildOrganisation(t.db, {
      names: [HOSTILE_ORGS[0]!, 'גשר =שווה', 'جسر'],
      city: "=cmd|' /C calc'!A0",
      area: '@north',
      description: '- first point\n- second point\n=SUM(1,2)',
      tags: ['+vip', '-later', 'youth'],
      languages: ['ar', 'he'],
      website: 'https://evil.example/=x',
      ownerId: staff.user.id,
      country: 'PS',
    }),
    await buildOrganisation(t.db, { names: [HOSTILE_ORGS[1]!], kind: 'funder', status: null, city: '+Gaza', description: "'=already an apostrophe" }),
    await buildOrganisation(t.db, { names: [HOSTILE_ORGS[2]!], city: 'Haifa', description: '@everyone: meet on Sunday' }),
    await buildOrganisation(t.db, { names: [HOSTILE_ORGS[3]!, 'Dash Peace (English)'], kind: 'partner', status: null, city: '-Jenin' }),
  ];
  orgIds = orgs.map((o) => o.id);
  const people = [
    await buildPerson(t.db, {
      name: '=Eve',
      names: ['=חוה'],
      transliterations: ['+Eva', 'Hawa'],
      contacts: [
        { kind: 'email', value: 'eve@example.org' },
        { kind: 'phone', value: PHONES[0]! },
      ],
      affiliations: [{ organisationId: orgs[0]!.id, title: '-Director' }],
      preferredLanguage: 'ar',
      tags: ['+vip'],
      notes: '@team: call her back on +970 59 123 4567',
    }),
    // no email: matched by name and organisation; two phones in one cell
    await buildPerson(t.db, {
      name: 'Ahmad Khalil',
      contacts: [
        { kind: 'phone', value: PHONES[1]! },
        { kind: 'phone', value: PHONES[2]! },
      ],
      affiliations: [{ organisationId: orgs[2]!.id, title: '+Coordinator' }],
    }),
    await buildPerson(t.db, { name: '-Dash Person', contacts: [{ kind: 'email', value: 'dash@example.org' }], affiliations: [{ organisationId: orgs[3]!.id, title: '=Head of "field"' }], notes: '-12.5' }),
  ];
  // the first hour's file: many people with +970 numbers (179 of 369 were refused as "not a phone")
  for (let i = 0; i < 30; i++) {
    people.push(
      await buildPerson(t.db, {
        name: `Member ${i}`,
        contacts: [
          { kind: 'email', value: `member${i}@example.org` },
          { kind: 'phone', value: `+970 59 ${String(100 + i)} ${String(1000 + i)}` },
        ],
        affiliations: [{ organisationId: orgs[i % 4]!.id, title: i % 2 ? '+Volunteer' : 'Member' }],
      }),
    );
  }
  personIds = people.map((p) => p.id);
});

describe('organisations and people: export, then import the export', () => {
  it('organisations: formulas defused in the file; preview and commit with no error and no change to any field', async () => {
    const text = await exportText('organisations');
    const cells = raw(text);
    const first = cells.find((r) => r.id === orgIds[0])!;
    expect(first).toMatchObject({ name: `'${HOSTILE_ORGS[0]}`, city: `'=cmd|' /C calc'!A0`, area: "'@north", description: "'- first point\n- second point\n=SUM(1,2)" });
    expect(cells.find((r) => r.id === orgIds[1])!.description).toBe("''=already an apostrophe");
    expect(cells.find((r) => r.id === orgIds[3])!.city).toBe("'-Jenin");
    // no cell a spreadsheet would run
    for (const r of cells) for (const v of Object.values(r)) expect(runnable(v), v).toBe(false);
    // Convene's reader gets back what is stored
    expect((await read(text)).find((r) => r.id === orgIds[0])).toMatchObject({ name: HOSTILE_ORGS[0], city: "=cmd|' /C calc'!A0", tags: '+vip; -later; youth' });

    const before = await Promise.all(orgIds.map((id) => getJson(`/api/organisations/${id}`)));
    const [n] = await t.db.select({ n: count() }).from(organisation);
    const { result } = await reimport('organisations', text);
    expect(result.updated).toBe(4);
    expect(await Promise.all(orgIds.map((id) => getJson(`/api/organisations/${id}`)))).toEqual(before);
    expect((await t.db.select({ n: count() }).from(organisation))[0]).toEqual(n);
  });

  it('people: phone numbers written as they are, titles and notes defused; preview and commit with no error and no change', async () => {
    const text = await exportText('people');
    const cells = raw(text);
    const eve = cells.find((r) => r.id === personIds[0])!;
    expect(eve).toMatchObject({ name: "'=Eve", phone: PHONES[0], title: "'-Director", transliterations: "'+Eva; Hawa", notes: "'@team: call her back on +970 59 123 4567" });
    expect(cells.find((r) => r.id === personIds[1])!.phone).toBe(`${PHONES[1]}; ${PHONES[2]}`);
    expect(cells.find((r) => r.id === personIds[2])!).toMatchObject({ title: `'=Head of "field"`, notes: '-12.5' });
    expect(text).not.toContain("'+970");

    const before = await Promise.all(personIds.map((id) => getJson(`/api/people/${id}`)));
    const [n] = await t.db.select({ n: count() }).from(person);
    const { result } = await reimport('people', text);
    expect(result.updated).toBe(personIds.length);
    const after = await Promise.all(personIds.map((id) => getJson(`/api/people/${id}`)));
    expect(after).toEqual(before);
    // the title did not gain an apostrophe, the phones are still phones
    expect(after[0].affiliations[0].title).toBe('-Director');
    expect((await t.db.select({ n: count() }).from(person))[0]).toEqual(n);
  });

  it('a file written by an older Convene (an apostrophe before every +970 number) imports too', async () => {
    const csv = "name,email,phone\r\nMember 3,member3@example.org,'+970 59 103 1003\r\nNew Person,new@example.org,'+970 59 999 8888\r\n";
    const preview = await (await staff.post('/api/imports/preview', { list: 'people', csv })).json();
    expect(preview.errors).toEqual([]);
    expect(preview.sample.map((s: { values: { phones: string[] } }) => s.values.phones)).toEqual([['+970 59 103 1003'], ['+970 59 999 8888']]);
  });
});

describe('meetings and follow-ups: their exports read back exactly (there is no import for them)', () => {
  it('every text field of a hostile meeting and follow-up comes back as stored; the raw cells are defused', async () => {
    const topic = await buildTopic(t.db, { nameEn: '-security' });
    const m = await buildMeeting(t.db, {
      title: '=HYPERLINK("http://evil.example","Agenda")',
      city: '+Gaza',
      venue: '@Cafe Ramallah',
      organisations: [orgIds[0]!, orgIds[2]!],
      topicIds: [topic.id],
      startsAt: '2024-07-09T08:30:00Z',
      timeZone: 'Asia/Hebron',
    });
    const f = await buildFollowUp(t.db, { title: '-call back +970 59 123 4567', ownerId: staff.user.id, organisationId: orgIds[1]!, meetingId: m.id, dueDate: '2024-07-20' });

    const meetingsText = await exportText('meetings');
    const listed = (await getJson('/api/meetings?limit=100')).items.find((x: { id: string }) => x.id === m.id);
    const row = (await read(meetingsText)).find((r) => r.id === m.id)!;
    expect(row).toMatchObject({
      title: listed.title,
      city: listed.city,
      venue: listed.venue,
      organisations: listed.organisations.map((o: { name: string }) => o.name).join('; '),
      topics: '-security',
      starts_at: listed.startsAt,
      ends_at: listed.endsAt,
      time_zone: 'Asia/Hebron',
      starts_at_local: '2024-07-09 11:30',
    });
    expect(row.title).toBe('=HYPERLINK("http://evil.example","Agenda")');
    expect(raw(meetingsText).find((r) => r.id === m.id)).toMatchObject({ title: `'${row.title}`, city: "'+Gaza", venue: "'@Cafe Ramallah", topics: "'-security" });

    const followText = await exportText('follow-ups');
    const fl = (await read(followText)).find((r) => r.id === f.id)!;
    expect(fl).toMatchObject({ title: '-call back +970 59 123 4567', organisation: HOSTILE_ORGS[1], meeting: m.title, due_date: '2024-07-20', meeting_id: m.id, organisation_id: orgIds[1] });
    expect(raw(followText).find((r) => r.id === f.id)).toMatchObject({ title: "'-call back +970 59 123 4567", organisation: `'${HOSTILE_ORGS[1]}`, meeting: `'${m.title}` });

    const health = await read(await exportText('member-health'));
    expect(health.find((r) => r.id === orgIds[0])!.name).toBe(HOSTILE_ORGS[0]);
  });
});

describe('dialogue exports: statements from anonymous participants', () => {
  const HOSTILE = ['=HYPERLINK("http://evil.example","click")', '+1', '@SUM(A1:A9)', '-2+3', "'=written with an apostrophe", '+970 59 123 4567', 'An ordinary statement'];

  it('statements CSV and Pol.is comments.csv defuse them; the Pol.is export imports back with the texts unchanged', async () => {
    const d = await buildDialogue(t.db, { languages: ['en'], sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const people = await Promise.all(HOSTILE.map(() => buildParticipant(t.db, { dialogueId: d.id })));
    const statements: { id: string }[] = [];
    for (const [i, body] of HOSTILE.entries()) statements.push(await buildStatement(t.db, { questionId: d.questions.q!, participantId: people[i]!.id, body, language: 'en' }));
    // everyone votes on everyone else's
    await buildVotes(
      t.db,
      d.id,
      people.flatMap((p, i) => statements.filter((_, j) => j !== i).map((s, j) => [p.id, s.id, ((i + j) % 3) - 1] as [string, string, number])),
    );

    const statementsCsv = await (await staff.get(`/api/dialogues/${d.id}/export/statements.csv`)).text();
    const spreadsheet = raw(statementsCsv);
    const body = (id: string) => spreadsheet.find((r) => r.statement_id === id)!.body;
    expect(statements.map((s) => body(s.id))).toEqual([
      `'${HOSTILE[0]}`,
      "'+1",
      "'@SUM(A1:A9)",
      "'-2+3",
      "''=written with an apostrophe",
      '+970 59 123 4567',
      'An ordinary statement',
    ]);
    expect((await read(statementsCsv)).map((r) => r.body).sort()).toEqual([...HOSTILE].sort());

    const files = Object.fromEntries(
      await Promise.all(
        (['comments.csv', 'votes.csv', 'participants-votes.csv'] as const).map(async (f) => [f, await (await staff.get(`/api/dialogues/${d.id}/export/polis/${f}`)).text()] as const),
      ),
    );
    const comments = raw(files['comments.csv']!);
    expect(comments.map((c) => c['comment-body'])).toEqual(expect.arrayContaining([`'${HOSTILE[0]}`, "'+1", "'@SUM(A1:A9)", "'-2+3"]));
    for (const c of comments) expect(runnable(c['comment-body']!), c['comment-body']).toBe(false);
    expect(comments.map((c) => c['comment-body'])).toContain('+970 59 123 4567');

    const res = await staff.post('/api/dialogues/import/polis', { title: 'Round trip', comments: files['comments.csv'], votes: files['votes.csv'], participantsVotes: files['participants-votes.csv'] });
    expect(res.status, await res.clone().text()).toBe(201);
    const imported = await res.json();
    expect(imported).toMatchObject({ statements: HOSTILE.length, participants: HOSTILE.length, votes: HOSTILE.length * (HOSTILE.length - 1) });
    const back = (await getJson(`/api/dialogues/${imported.id}/statements?limit=100`)).items as { body: string }[];
    expect(back.map((s) => s.body).sort()).toEqual([...HOSTILE].sort());
  });
});

describe("a study panel CSV written by Convene's writer", () => {
  it('imports with the defused labels read as they were', async () => {
    const s = await buildStudy(t.db);
    const csv = [
      csvLine(['country', 'condition', 'support']),
      csvLine(['+972', '=control', 4]),
      csvLine(['+972', '-m1', 5]),
      csvLine(['+970', '=control', -1 + 3]),
      csvLine(['+970', '-m1', 6]),
    ].join('');
    expect(csv).toContain("'+972,'=control,4");
    const mapping = {
      population: 'country',
      treatment: 'condition',
      outcomes: { support: 'support' },
      populationValues: { '+972': 'israelis', '+970': 'palestinians' },
      armValues: { '=control': 'control', '-m1': 'message-1' },
    };
    const res = await staff.post(`/api/studies/${s.id}/imports/preview`, { csv, mapping });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ rows: 4, accepted: 4, errors: [], unknownPopulations: [], unknownArms: [] });
  });
});

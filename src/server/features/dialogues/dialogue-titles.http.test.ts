import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { migrationsFolder, rows } from '../../db/client.ts';
import { buildDialogue } from '../../../../tests/setup/dialogue-factories.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';

// A dialogue's title is written per language, like its introduction: staff, participants and the report each read it
// in their language, else in the dialogue's first language that has it.

const t = await createTestApp();
const staff = await t.signedIn('staff');
const hebrewStaff = await t.signedIn('staff');
expect((await hebrewStaff.patch('/api/me', { locale: 'he' })).status).toBe(200);

const TITLE = { en: 'The day after', he: 'היום שאחרי', ar: 'اليوم التالي' };
type Dialogue = { id: string; title: string; titles: Record<string, string>; invites: { url: string }[] };

const html = async (res: Response) => {
  expect(res.status).toBe(200);
  return res.text();
};
const pageTitle = (page: string) => page.match(/<title>([^<]*)<\/title>/)?.[1];

describe('dialogue titles per language', () => {
  it('staff write the title in three languages and each reads it in their own; a string is kept under the language of its letters', async () => {
    const res = await staff.post('/api/dialogues', { title: TITLE, languages: ['he', 'ar', 'en'] });
    expect(res.status).toBe(201);
    const d: Dialogue = await res.json();
    expect(d).toMatchObject({ title: 'The day after', titles: TITLE });
    expect(((await (await hebrewStaff.get(`/api/dialogues/${d.id}`)).json()) as Dialogue).title).toBe('היום שאחרי');
    const list = (await (await hebrewStaff.get('/api/dialogues')).json()) as { items: Dialogue[] };
    expect(list.items.find((x) => x.id === d.id)).toMatchObject({ title: 'היום שאחרי', titles: TITLE });

    const arabic: Dialogue = await (await staff.post('/api/dialogues', { title: 'حوار المدن', languages: ['ar', 'he'] })).json();
    expect(arabic.titles).toEqual({ ar: 'حوار المدن' });
    // an English reader sees the only title there is
    expect(arabic.title).toBe('حوار المدن');

    const changed: Dialogue = await (await staff.patch(`/api/dialogues/${d.id}`, { title: { en: 'Day after', he: 'יום אחרי' } })).json();
    expect(changed.titles).toEqual({ en: 'Day after', he: 'יום אחרי' });
  });

  it('refuses a title with no language written, or one too long, naming the field', async () => {
    for (const title of [{}, { he: '' }, 'x'.repeat(201), { ar: 'x'.repeat(201) }]) {
      const res = await staff.post('/api/dialogues', { title, languages: ['he'] });
      expect(res.status, JSON.stringify(title)).toBe(400);
      const p = (await res.json()) as { errors?: { field: string }[] };
      expect(JSON.stringify(p)).toContain('body.title');
    }
  });

  it("participants see the title in their language on the entry page, in the tab and in the API; without one, the dialogue's first language", async () => {
    const d = await buildDialogue(t.db, {
      title: { he: 'היום שאחרי', ar: 'اليوم التالي' },
      languages: ['ar', 'he', 'en'],
      sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }],
      invites: [{ key: 'i' }],
    });
    const inv = d.invites.i!;
    const he = await html(await t.client().get(`/p/${inv}?lang=he`));
    expect(pageTitle(he)).toContain('היום שאחרי');
    expect(he).not.toContain('اليوم التالي');
    const ar = await html(await t.client().get(`/p/${inv}?lang=ar`));
    expect(pageTitle(ar)).toContain('اليوم التالي');
    expect(ar).not.toContain('היום שאחרי');
    // no English title: the dialogue's first language, Arabic
    const en = await html(await t.client().get(`/p/${inv}?lang=en`));
    expect(pageTitle(en)).toContain('اليوم التالي');

    const entry = (await (await t.client().get(`/api/participate/${inv}?language=he`)).json()) as { title: string };
    expect(entry.title).toBe('היום שאחרי');
  });

  it("the printable report is titled in the report's language", async () => {
    const d = await buildDialogue(t.db, { title: TITLE, sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }] });
    const ar = await html(await staff.get(`/api/dialogues/${d.id}/report?lang=ar`));
    expect(ar).toContain('اليوم التالي');
    expect(ar).not.toContain('The day after');
    expect(await html(await hebrewStaff.get(`/api/dialogues/${d.id}/report`))).toContain('היום שאחרי');
  });

  it('the migration keeps each existing title under the language of its letters', async () => {
    const file = fs.readdirSync(migrationsFolder).find((f) => f.endsWith('_dialogue_title_languages.sql'))!;
    const migration = fs.readFileSync(path.join(migrationsFolder, file), 'utf8');
    // the same statement, on a copy of the old table
    await t.db.execute(sql`CREATE TEMP TABLE old_dialogue (id int, title text NOT NULL)`);
    await t.db.execute(sql`INSERT INTO old_dialogue VALUES (1, 'The day after'), (2, 'היום שאחרי'), (3, 'اليوم التالي'), (4, 'G7 – حوار'), (5, 'שיח 2026 – Haifa')`);
    await t.db.execute(sql.raw(migration.replaceAll('"dialogue"', 'old_dialogue')));
    const found = await rows<{ id: number; title: Record<string, string> }>(t.db, sql`SELECT id, title FROM old_dialogue ORDER BY id`);
    expect(found.map((r) => r.title)).toEqual([{ en: 'The day after' }, { he: 'היום שאחרי' }, { ar: 'اليوم التالي' }, { ar: 'G7 – حوار' }, { he: 'שיח 2026 – Haifa' }]);
  });
});

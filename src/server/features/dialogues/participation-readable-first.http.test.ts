import { describe, expect, it } from 'vitest';
import type { Next } from './participation.contract.ts';
import { buildDialogue, buildParticipant, buildStatement, buildTranslation } from '../../../../tests/setup/dialogue-factories.ts';
import { createTestApp, type TestClient } from '../../../../tests/setup/test-app.ts';

// A participant is offered the statements they can read first (written in their language, or translated into
// it); the untranslated ones come after, each shown in its original language and marked "not yet translated".

const t = await createTestApp();

async function reader(dialogueId: string, language: string): Promise<TestClient> {
  const p = await buildParticipant(t.db, { dialogueId, language });
  const c = t.client();
  c.cookies.set('convene_participant', p.token);
  return c;
}

async function next(c: TestClient, invite: string): Promise<Next> {
  const res = await c.get(`/api/participate/${invite}/next`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Next;
}

async function vote(c: TestClient, invite: string, statementId: string) {
  const res = await c.post(`/api/participate/${invite}/votes`, { statementId, value: 1 });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Four statements for an Arabic reader: two readable (Arabic; Hebrew translated into Arabic), two not (a young English seed, Hebrew). */
async function fourStatements() {
  const d = await buildDialogue(t.db, {
    languages: ['he', 'ar', 'en'],
    sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: [{ body: 'Shared schools build trust.', language: 'en' }] }] }],
    invites: [{ key: 'i' }],
  });
  const q = d.questions.q!;
  const author = await buildParticipant(t.db, { dialogueId: d.id, language: 'he' });
  const arabic = await buildStatement(t.db, { questionId: q, participantId: author.id, body: 'نريد مدارس مشتركة' });
  const translated = await buildStatement(t.db, { questionId: q, participantId: author.id, body: 'אנחנו רוצים ביטחון לכולם' });
  await buildTranslation(t.db, { statementId: translated.id, language: 'ar', body: 'نريد الأمان للجميع' });
  const hebrew = await buildStatement(t.db, { questionId: q, participantId: author.id, body: 'לילדים מגיע לגדול בלי פחד' });
  return { d, inv: d.invites.i!, seed: d.seeds.q![0]!, arabic: arabic.id, translated: translated.id, hebrew: hebrew.id };
}

describe('the order of statements for a reader', () => {
  it('offers what the reader can read first (even before a young seed), then the untranslated ones, none left out', async () => {
    const s = await fourStatements();
    // several readers: each draws in its own order, and every order keeps the readable ones first
    for (let r = 0; r < 4; r++) {
      const c = await reader(s.d.id, 'ar');
      const order: string[] = [];
      for (;;) {
        const n = await next(c, s.inv);
        if (n.item.kind !== 'statement') {
          expect(n.item.kind).toBe('done');
          break;
        }
        const st = n.item.statement;
        order.push(st.id);
        const readable = st.original.language === 'ar' || st.translation?.language === 'ar';
        expect(readable, `statement ${order.length} of reader ${r}`).toBe(order.length <= 2);
        await vote(c, s.inv, st.id);
      }
      expect(order.slice(0, 2).sort()).toEqual([s.arabic, s.translated].sort());
      expect(order.slice(2).sort()).toEqual([s.seed, s.hebrew].sort());
    }
    // a Hebrew reader starts with the two written in Hebrew (the seed and the Arabic one are not in Hebrew)
    const h = await reader(s.d.id, 'he');
    const first = await next(h, s.inv);
    expect(first.item.kind === 'statement' ? first.item.statement.id : first.item.kind).toBeOneOf([s.translated, s.hebrew]);
  });

  it('makes a statement readable as soon as its translation arrives', async () => {
    const s = await fourStatements();
    const c = await reader(s.d.id, 'ar');
    const n1 = await next(c, s.inv);
    if (n1.item.kind !== 'statement') throw new Error('expected a statement');
    expect([s.arabic, s.translated]).toContain(n1.item.statement.id);
    await vote(c, s.inv, n1.item.statement.id);
    await buildTranslation(t.db, { statementId: s.hebrew, language: 'ar', body: 'يحق للأطفال أن يكبروا بلا خوف' });
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const n = await next(c, s.inv);
      if (n.item.kind !== 'statement') throw new Error(`expected a statement, got ${n.item.kind}`);
      order.push(n.item.statement.id);
      await vote(c, s.inv, n.item.statement.id);
    }
    const other = n1.item.statement.id === s.arabic ? s.translated : s.arabic;
    expect(order.slice(0, 2).sort()).toEqual([other, s.hebrew].sort());
    expect(order[2]).toBe(s.seed);
    expect((await next(c, s.inv)).item.kind).toBe('done');
  });
});

describe('an untranslated statement on the page', () => {
  it('is shown in its original language, with lang and dir, and says plainly that it is not translated yet', async () => {
    const s = await fourStatements();
    const c = await reader(s.d.id, 'ar');
    await vote(c, s.inv, s.arabic);
    await vote(c, s.inv, s.translated);
    // the readable ones are done: the page offers an untranslated one, marked
    const marks: Record<string, { lang: string; text: string; caption: string }> = {
      [s.hebrew]: { lang: 'he', text: 'לילדים מגיע לגדול בלי פחד', caption: 'لم تُترجم بعد — معروضة بالعبرية كما كُتبت' },
      [s.seed]: { lang: 'en', text: 'Shared schools build trust.', caption: 'لم تُترجم بعد — معروضة بالإنجليزية كما كُتبت' },
    };
    for (let i = 0; i < 2; i++) {
      const res = await c.get(`/p/${s.inv}`);
      expect(res.status).toBe(200);
      const page = await res.text();
      const id = page.match(/name="statementId" value="([^"]+)"/)![1]!;
      const want = marks[id]!;
      expect(want, `an untranslated statement is offered, not ${id}`).toBeDefined();
      expect(page).toContain(`<blockquote class="text" dir="auto" lang="${want.lang}" data-variant="original"><p>${want.text}</p></blockquote>`);
      expect(page).toContain(`<figcaption class="note untranslated">${want.caption}</figcaption>`);
      expect(page).not.toContain('data-variant="translation"');
      await vote(c, s.inv, id);
    }

    // the same statement for a reader of its own language carries no mark; a translated one names its source
    const h = await reader(s.d.id, 'he');
    await vote(h, s.inv, s.translated);
    await vote(h, s.inv, s.seed);
    const he = await (await h.get(`/p/${s.inv}`)).text();
    expect(he).toContain('<blockquote class="text" dir="auto" lang="he" data-variant="original"><p>לילדים מגיע לגדול בלי פחד</p></blockquote>');
    expect(he).not.toContain('class="note untranslated"');
    const en = await reader(s.d.id, 'en');
    await vote(en, s.inv, s.seed);
    await vote(en, s.inv, s.arabic);
    await vote(en, s.inv, s.hebrew);
    const enPage = await (await en.get(`/p/${s.inv}`)).text();
    expect(enPage).toContain('Not translated yet — shown in Hebrew, as it was written');
    expect(enPage).toContain('lang="he" data-variant="original"');
  });
});

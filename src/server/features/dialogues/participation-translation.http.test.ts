import { describe, expect, it } from 'vitest';
import { startAiStandIn, standInTranslation } from '../../../../tests/setup/ai-stand-in.ts';
import { buildDialogue } from '../../../../tests/setup/dialogue-factories.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { waitFor } from '../../../../tests/setup/wait.ts';

// A participant's statement is translated in the background through the AI provider (the local stand-in, over
// real HTTP) into the dialogue's other languages; readers then see it in their language, with the original.

const ai = await startAiStandIn();
const t = await createTestApp({ config: { ai: { baseUrl: ai.baseUrl, model: ai.model, timeoutMs: 5000, maxConcurrency: 2 } } });

describe('translations of what participants write', () => {
  it('come from the provider after the statement is stored, and show in the reader language', async () => {
    const d = await buildDialogue(t.db, { languages: ['he', 'ar', 'en'], sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const inv = d.invites.i!;
    const writer = t.client();
    expect((await writer.post(`/api/participate/${inv}/join`, { language: 'he' })).status).toBe(201);
    const body = 'לילדים משני הצדדים מגיע לגדול בלי פחד.';
    const res = await writer.post(`/api/participate/${inv}/statements`, { questionId: d.questions.q, body });
    expect(res.status).toBe(201);
    expect((await res.json()).language).toBe('he');

    // the translation is a background job: a reader sees it once it has run
    const reader = t.client();
    await reader.post(`/api/participate/${inv}/join`, { language: 'ar' });
    const next = await waitFor('the statement translated into Arabic', async () => {
      const n = await (await reader.get(`/api/participate/${inv}/next`)).json();
      return n.item?.statement?.translation ? n : null;
    });
    expect(ai.requests.filter((r) => r.task === 'translate').length).toBeGreaterThan(0);
    expect(next.item.statement).toMatchObject({ original: { body, language: 'he' }, translation: { body: standInTranslation(body, 'ar'), language: 'ar', source: 'ai' } });
    const page = await (await reader.get(`/p/${inv}`)).text();
    expect(page).toContain(standInTranslation(body, 'ar'));
    expect(page).toContain('مترجمة آليًا من العبرية');
  });
});

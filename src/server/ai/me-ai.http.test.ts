import { afterAll, describe, expect, it } from 'vitest';
import { startAiStandIn } from '../../../tests/setup/ai-stand-in.ts';
import { createTestApp } from '../../../tests/setup/test-app.ts';

// The app disables what needs an AI provider before anyone clicks ("Ask the model for a ranking", "Draft variants"):
// /api/me and /api/session say whether one is configured.
const ai = await startAiStandIn();
const without = await createTestApp();
const withAi = await createTestApp({ config: { ai: { baseUrl: ai.baseUrl, model: ai.model, timeoutMs: 5000, maxConcurrency: 2 } } });
afterAll(() => ai.close());

describe('whether an AI provider is configured', () => {
  it('is false without one, in /api/me and /api/session', async () => {
    const staff = await without.signedIn('staff');
    expect((await (await staff.get('/api/me')).json()).aiConfigured).toBe(false);
    expect((await (await staff.get('/api/session')).json()).me.aiConfigured).toBe(false);
  });

  it('is true with one', async () => {
    const staff = await withAi.signedIn('staff');
    expect((await (await staff.get('/api/me')).json()).aiConfigured).toBe(true);
    expect((await (await staff.get('/api/session')).json()).me.aiConfigured).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';

describe('AI provider configuration', () => {
  it('is absent when no base URL is set (an empty value counts as unset)', () => {
    expect(loadConfig({}).ai).toBeUndefined();
    expect(loadConfig({ CONVENE_AI_BASE_URL: '', CONVENE_AI_MODEL: '' }).ai).toBeUndefined();
  });

  it('reads base URL, key, model, timeout and concurrency', () => {
    expect(
      loadConfig({
        CONVENE_AI_BASE_URL: 'https://api.example.org/v1/',
        CONVENE_AI_API_KEY: 'sk-abc',
        CONVENE_AI_MODEL: 'gpt-4o-mini',
        CONVENE_AI_TIMEOUT_MS: '60000',
        CONVENE_AI_MAX_CONCURRENCY: '8',
      }).ai,
    ).toEqual({ baseUrl: 'https://api.example.org/v1', apiKey: 'sk-abc', model: 'gpt-4o-mini', timeoutMs: 60000, maxConcurrency: 8 });
  });

  it('defaults to a 30 s timeout and 4 requests at once, with no key for a local model', () => {
    expect(loadConfig({ CONVENE_AI_BASE_URL: 'http://localhost:11434/v1', CONVENE_AI_MODEL: 'qwen2.5:7b' }).ai).toEqual({
      baseUrl: 'http://localhost:11434/v1',
      apiKey: undefined,
      model: 'qwen2.5:7b',
      timeoutMs: 30000,
      maxConcurrency: 4,
    });
  });

  it('refuses a base URL without a model, a bad URL and bad numbers', () => {
    expect(() => loadConfig({ CONVENE_AI_BASE_URL: 'http://localhost:11434/v1' })).toThrow(/CONVENE_AI_MODEL: required when CONVENE_AI_BASE_URL is set/);
    expect(() => loadConfig({ CONVENE_AI_BASE_URL: 'localhost:11434', CONVENE_AI_MODEL: 'm' })).toThrow(/CONVENE_AI_BASE_URL/);
    expect(() => loadConfig({ CONVENE_AI_BASE_URL: 'http://h/v1', CONVENE_AI_MODEL: 'm', CONVENE_AI_TIMEOUT_MS: '0' })).toThrow(/CONVENE_AI_TIMEOUT_MS/);
    expect(() => loadConfig({ CONVENE_AI_MAX_CONCURRENCY: 'many' })).toThrow(/CONVENE_AI_MAX_CONCURRENCY/);
  });
});

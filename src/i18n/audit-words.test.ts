import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogs } from './catalogs.ts';
import { flattenCatalog, LOCALES } from './locales.ts';

// The audit log says each action and kind of record in words (src/web/features/audit/audit-words.ts): every action the
// server records, and every kind of record it names, has its words in the catalogs of every language.

function serverFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return serverFiles(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}
const source = serverFiles(path.join(import.meta.dirname, '../server')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
const flat = Object.fromEntries(LOCALES.map((l) => [l, flattenCatalog(catalogs[l])]));

// written as literals (action: 'x.y', auditRows(ctx, 'x.y', …), a two-factor route's action), and the few built from a value
const literal = [...source.matchAll(/(?:action: |auditRows\(\s*ctx,\s*|(?:PasswordBody|CodeBody), )'([a-z_]+(?:\.[a-z_]+)*)'/g)].map((m) => m[1]!);
const built = ['person.erase', 'organisation.erase', 'dialogue.statement.accept', 'dialogue.statement.reject', 'study.create'];
const actions = [...new Set([...literal, ...built])].filter((a) => a.includes('.') || a === 'export');

const kinds = [...new Set([...source.matchAll(/entityType: '([a-z_]+)'/g)].map((m) => m[1]!))];
const exportLists = ['organisations', 'people', 'meetings', 'member-health', 'follow-ups'];

describe('the audit log’s words', () => {
  it('finds the actions and kinds the server records', () => {
    expect(actions).toEqual(expect.arrayContaining(['record.read', 'user.update_preferences', 'two_factor.verify', 'export', 'person.create']));
    expect(actions.length).toBeGreaterThan(90);
    expect(kinds).toEqual(expect.arrayContaining(['meeting', 'person', 'user', 'setting']));
  });

  for (const l of LOCALES) {
    it(`has every action and kind of record in ${l}`, () => {
      expect(actions.filter((a) => !flat[l]![`audit.actions.${a}`])).toEqual([]);
      expect([...kinds, ...exportLists].filter((k) => !flat[l]![`audit.kinds.${k}`])).toEqual([]);
    });
  }
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { circles, importGraph, sources } from '../../tests/setup/import-graph.ts';

// The house rules of the server's folders (docs/architecture.md), checked: services know nothing of HTTP, who may see
// what lives in access/, derived data lives in read-models/ (no trigger in a migration after 0015), and no module
// reaches itself through its imports.

const root = import.meta.dirname;
const rel = (f: string) => path.relative(root, f);

describe('the server’s folders', () => {
  it('services import nothing from http/ (errors, context, pagination and text checks are in core/)', () => {
    const services = sources(path.join(root, 'features')).filter((f) => f.endsWith('.service.ts'));
    expect(services.length).toBeGreaterThan(30);
    const graph = importGraph(root);
    const offenders = services.flatMap((f) => (graph.get(f) ?? []).filter((d) => rel(d).startsWith(`http${path.sep}`)).map((d) => `${rel(f)} -> ${rel(d)}`));
    expect(offenders).toEqual([]);
    // core/ itself needs no HTTP framework
    const core = sources(path.join(root, 'core'));
    expect(core.filter((f) => /from '(hono|@hono\/)/.test(fs.readFileSync(f, 'utf8'))).map(rel)).toEqual([]);
  });

  it('need-to-know and roles are in access/, nowhere else', () => {
    expect(fs.existsSync(path.join(root, 'access/need-to-know.ts'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'access/roles.ts'))).toBe(true);
    const elsewhere = sources(root).filter((f) => !rel(f).startsWith(`access${path.sep}`) && /^export (async )?function (authorize|meetingVisible|personVisible|auditRestrictedReads|researchReader)\b/m.test(fs.readFileSync(f, 'utf8')));
    expect(elsewhere.map(rel)).toEqual([]);
  });

  it('no migration after the read models got their home defines a trigger', () => {
    const drizzle = path.join(root, '../../drizzle');
    const later = fs.readdirSync(drizzle).filter((f) => /^\d{4}_.*\.sql$/.test(f) && Number(f.slice(0, 4)) > 15);
    expect(later.length).toBeGreaterThan(0);
    expect(later.filter((f) => /CREATE\s+(OR\s+REPLACE\s+)?(CONSTRAINT\s+)?TRIGGER/i.test(fs.readFileSync(path.join(drizzle, f), 'utf8')))).toEqual([]);
  });

  it('has no import circle but those still to break (none may be added)', () => {
    const graph = importGraph(root);
    expect(graph.size).toBeGreaterThan(150);
    // still to break (issue 16): each is a pair of modules that should share a third, lower one
    const known = [
      ['db/client.ts', 'read-models/apply.ts'],
      ['features/meetings/follow-ups.service.ts', 'features/meetings/meetings.service.ts', 'features/meetings/shared-items.service.ts'],
      ['features/imports/import.service.ts', 'features/imports/import.writers.ts'],
      ['features/dialogues/deps.ts', 'features/dialogues/translations.service.ts'],
      ['features/dialogues/participation.identity.ts', 'features/dialogues/participation.invites.ts', 'features/dialogues/participation.runtime.ts', 'features/dialogues/participation.vote-writer.ts'],
    ].map((c) => c.map((f) => f.split('/').join(path.sep)));
    const key = (c: string[]) => [...c].sort().join(' ');
    const found = circles(graph, root).map(key);
    expect(found.filter((c) => !known.map(key).includes(c))).toEqual([]);
  });

  it('finds a circle when there is one', () => {
    const [a, b, c] = ['a.ts', 'b.ts', 'c.ts'].map((f) => path.join(root, f)) as [string, string, string];
    expect(circles(new Map([[a, [b]], [b, [c]], [c, [a]]]), root)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(circles(new Map([[a, [b]], [b, [c]], [c, []]]), root)).toEqual([]);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { circles as circlesIn, importGraph as graphOf } from '../../tests/setup/import-graph.ts';

// The staff app's modules import one another without a circle: the router imports route definitions, routes load
// pages, and a page reads its address parameters from a routes-free module (e.g. dialogue.search.ts), never from
// its route. Static, type-only and dynamic (lazy) imports all count.

const root = import.meta.dirname;
const importGraph = () => graphOf(root);
const circles = (g: Map<string, string[]>) => circlesIn(g, root);
describe('the staff app’s import graph', () => {
  it('reads the imports of every module, lazy routes included', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(80);
    const router = graph.get(path.join(root, 'router.tsx'))!.map((f) => path.relative(root, f));
    expect(router).toContain('features/dialogues/dialogues.routes.tsx');
    expect(router).toContain('features/accounts/people.page.tsx'); // a lazy import()
  });

  it('finds a circle when there is one', () => {
    const a = path.join(root, 'a.ts');
    const b = path.join(root, 'b.ts');
    const c = path.join(root, 'c.ts');
    expect(circles(new Map([[a, [b]], [b, [c]], [c, [a]]]))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(circles(new Map([[a, [b]], [b, [c]], [c, []]]))).toEqual([]);
  });

  it('has no circle', () => {
    expect(circles(importGraph())).toEqual([]);
  });
});

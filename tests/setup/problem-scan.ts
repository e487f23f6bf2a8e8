// Finds every problem code the server can answer with, by reading its source: `new AppError('<kind>', '<code>'…)`,
// `notFound('<thing>')` (code `<thing>_not_found`) and `problemResponse(<status>, '<code>'…)`. The statuses come
// from the kinds (statusByKind) and the literal statuses.
import fs from 'node:fs';
import path from 'node:path';
import { statusByKind, type ErrorKind } from '../../src/server/http/problem.ts';

export const serverRoot = path.resolve(import.meta.dirname, '../../src/server');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

export type Scan = {
  /** code -> the statuses it is answered with (sorted; empty when the status is not a literal) */
  codes: Record<string, number[]>;
  /** `new AppError(` whose kind and code are not both literals (other than notFound's own), by file:line */
  dynamic: string[];
};

export function scanProblemCodes(): Scan {
  const found = new Map<string, Set<number>>();
  const add = (code: string, status?: number) => {
    const s = found.get(code) ?? new Set<number>();
    if (status !== undefined) s.add(status);
    found.set(code, s);
  };
  const dynamic: string[] = [];
  for (const file of sourceFiles(serverRoot)) {
    const src = fs.readFileSync(file, 'utf8');
    const where = (index: number) => `${path.relative(serverRoot, file)}:${src.slice(0, index).split('\n').length}`;
    for (const m of src.matchAll(/new AppError\(\s*('([a-z_]+)'\s*,\s*'([a-z0-9_]+)')?/g)) {
      if (!m[1]) {
        // notFound() builds its code from the thing it is given: its calls are read below
        if (!/^new AppError\('not_found', `\$\{what\}_not_found`/.test(src.slice(m.index, m.index + 80))) dynamic.push(where(m.index));
        continue;
      }
      add(m[3]!, statusByKind[m[2] as ErrorKind]);
    }
    for (const m of src.matchAll(/\bnotFound\(\s*'([a-z_]+)'/g)) add(`${m[1]}_not_found`, 404);
    for (const m of src.matchAll(/problemResponse\(\s*(\d{3}|\w+)\s*,\s*'([a-z0-9_]+)'/g)) add(m[2]!, /^\d+$/.test(m[1]!) ? Number(m[1]) : undefined);
  }
  const codes = Object.fromEntries([...found].sort(([a], [b]) => a.localeCompare(b)).map(([code, s]) => [code, [...s].sort((x, y) => x - y)]));
  return { codes, dynamic };
}

/** The registry file's text: one code a line, sorted. */
export function registryText(codes: Record<string, number[]>): string {
  const lines = Object.entries(codes).map(([code, statuses]) => `  ${JSON.stringify(code)}: ${JSON.stringify(statuses)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

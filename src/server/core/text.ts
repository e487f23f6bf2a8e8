// Text that no service may see: the NUL character (U+0000), which PostgreSQL refuses in text and jsonb, and
// unpaired UTF-16 surrogates. The checks themselves (no HTTP here): http/text.ts runs them on every request, and
// imports, cursors and the command line use them too.
import type { FieldError } from './errors.ts';

const NUL = '\u0000';
/** a high surrogate not followed by a low one, or a low one not preceded by a high one */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const NUL_DETAIL = 'Contains a NUL character (U+0000), which is not allowed in text';
export const SURROGATE_DETAIL = 'Contains an unpaired UTF-16 surrogate (not valid Unicode text)';

/** Why `s` is not acceptable text, or null when it is. */
export function badText(s: string): string | null {
  if (s.includes(NUL)) return NUL_DETAIL;
  // String.prototype.isWellFormed (Node 20, ES2024) is native and fast on a 60 MB import; the pattern otherwise
  const wellFormed = (s as unknown as { isWellFormed?: () => boolean }).isWellFormed?.() ?? !LONE_SURROGATE.test(s);
  return wellFormed ? null : SURROGATE_DETAIL;
}

/** The string with NULs and lone surrogates replaced by U+FFFD: safe to echo back in a field name. */
export function printable(s: string): string {
  return s.replace(/\u0000/g, '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/**
 * Every string (and object key) in `value` that is not acceptable text, named by its path under `prefix`
 * ("body.people.0.role"). Walks without recursion, so that a deeply nested body cannot overflow the stack.
 * Stops after `max` findings.
 */
export function textErrors(value: unknown, prefix: string, max = 20): FieldError[] {
  const out: FieldError[] = [];
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length && out.length < max) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const why = badText(v);
      if (why) out.push({ field: path, detail: why });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}.${i}`]);
    } else if (v !== null && typeof v === 'object' && !(v instanceof Blob)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const why = badText(k);
        if (why) out.push({ field: `${path}.${printable(k)}`, detail: `The field name: ${why[0]!.toLowerCase()}${why.slice(1)}` });
        else stack.push([(v as Record<string, unknown>)[k], `${path}.${k}`]);
      }
    }
  }
  return out;
}

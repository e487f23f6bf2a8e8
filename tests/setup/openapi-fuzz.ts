import fc from 'fast-check';

// Requests generated from the OpenAPI document: for one operation, values that follow its schemas (valid-looking,
// so that many requests reach the handlers and services) and hostile ones (NUL bytes, lone surrogates, very long
// strings, wrong types, extra fields, empty bodies, bodies that are not JSON, unknown ids, bad query parameters).

export type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  prefixItems?: Schema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
};

export type Parameter = { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema: Schema };
export type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
  security?: unknown[];
};
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Ids known to exist, by kind ("organisation", "meeting" …), for path parameters and body fields. */
export type IdPool = Record<string, string[]>;

/** The hostile strings every text field, query and path parameter gets to see. */
export const HOSTILE_STRINGS = [
  '\u0000',
  'before\u0000after',
  '\uD800',
  'lone low \uDC00 surrogate',
  'a\uDBFF',
  '\u0000\uD83D',
  '',
  ' ',
  'x'.repeat(10_001),
  'ש'.repeat(3_000),
  '\u202Eevil\u202C',
  '💥'.repeat(200),
  "'; DROP TABLE meeting; --",
  '../../etc/passwd',
  '%00',
  '\\u0000',
  '{"a":1}',
  'null',
  '-1',
  '1e309',
  'NaN',
];

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
/** a value of the wrong type wherever it lands */
const wrongValue = fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, '', [], {}, [null], { x: '\u0000' }, 'not-a-uuid');

const ID_HINTS: [RegExp, string][] = [
  [/^(keepId|mergeId)$/, 'organisation'],
  [/organisation/i, 'organisation'],
  [/person|people/i, 'person'],
  [/topic/i, 'topic'],
  [/meeting/i, 'meeting'],
  [/^(ownerId|userId|staffIds|staffId|grantedTo)$/, 'user'],
  [/segment/i, 'dialogueSegment'],
  [/statement|winner|loser/i, 'dialogueStatement'],
  [/question/i, 'dialogueQuestion'],
  [/session/i, 'dialogueSession'],
  [/dialogue/i, 'dialogue'],
  [/office/i, 'office'],
];

export class RequestArbitraries {
  constructor(
    private doc: OpenApiDocument,
    private ids: IdPool,
  ) {}

  resolve(s: Schema): Schema {
    let out = s;
    for (let i = 0; out.$ref && i < 10; i++) out = this.doc.components.schemas[out.$ref.split('/').pop()!] ?? {};
    return out;
  }

  private idsFor(name: string): string[] {
    for (const [re, kind] of ID_HINTS) if (re.test(name) && this.ids[kind]?.length) return this.ids[kind]!;
    return Object.values(this.ids).flat();
  }

  /** Valid-looking values of `schema`; `name` is the field's name (to pick ids of the right kind). */
  valid(schema: Schema, name = '', depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    if (depth > 6) return fc.constant(null);
    if (s.enum) return fc.constantFrom(...s.enum);
    if (s.anyOf || s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf)!.map((x) => this.valid(x, name, depth + 1)));
    if (s.allOf) {
      // parts that only annotate ({description}) add nothing
      const parts = s.allOf.filter((x) => x.$ref || x.type || x.properties || x.enum || x.anyOf || x.allOf);
      if (parts.length === 1) return this.valid(parts[0]!, name, depth + 1);
      return fc.tuple(...parts.map((x) => this.valid(x, name, depth + 1))).map((vs) => Object.assign({}, ...vs.filter((p) => p && typeof p === 'object' && !Array.isArray(p))));
    }
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (types.length > 1) return fc.oneof(...types.map((t) => (t === 'null' ? fc.constant(null) : this.valid({ ...s, type: t }, name, depth))));
    switch (types[0]) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer': {
        const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
        const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1000);
        return fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) });
      }
      case 'number': {
        const min = s.minimum ?? s.exclusiveMinimum ?? -1000;
        const max = s.maximum ?? s.exclusiveMaximum ?? 1000;
        return fc.double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: s.exclusiveMinimum !== undefined, maxExcluded: s.exclusiveMaximum !== undefined });
      }
      case 'string':
        return this.validString(s, name);
      case 'array': {
        const item = s.items ? this.valid(s.items, name, depth + 1) : fc.string();
        if (s.prefixItems) return fc.tuple(...s.prefixItems.map((x) => this.valid(x, name, depth + 1)));
        const minLength = s.minItems ?? 0;
        // no item twice (lists of languages, of ids, of people at a meeting are sets)
        return fc.uniqueArray(item, { selector: identity, minLength, maxLength: Math.max(minLength, Math.min(s.maxItems ?? 3, 3)) });
      }
      case 'object':
      default: {
        if (!s.properties && !s.additionalProperties && types[0] !== 'object') return fc.jsonValue({ maxDepth: 2 });
        if (s.properties && ('startsAt' in s.properties || 'opensAt' in s.properties || 'startDate' in s.properties)) return this.object(s, name, depth).map(ordered);
        return this.object(s, name, depth);
      }
    }
  }

  private object(s: Schema, name: string, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const props = s.properties ?? {};
    const required = new Set(s.required ?? []);
    const fields = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, this.valid(v, k, depth + 1)]));
    const rec = fc.record(fields, { requiredKeys: [...required].filter((k) => k in fields) }) as fc.Arbitrary<Record<string, unknown>>;
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), this.valid(s.additionalProperties, name, depth + 1), { maxKeys: 3 });
      return fc.tuple(rec, extra).map(([a, b]) => ({ ...b, ...a }));
    }
    return rec;
  }

  private validString(s: Schema, name: string): fc.Arbitrary<string> {
    const min = s.minLength ?? 0;
    const max = Math.max(min, Math.min(s.maxLength ?? 40, 60));
    if (s.format === 'uuid' || /(^id$|Id$|Ids$)/.test(name)) {
      const known = this.idsFor(name);
      if (s.format === 'uuid' || known.length) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(known.length ? known : ['00000000-0000-4000-8000-000000000000'])) }, { weight: 1, arbitrary: fc.uuid() });
    }
    if (s.format === 'date-time') return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    if (s.format === 'email') return fc.integer({ min: 1, max: 1e6 }).map((n) => `fuzz${n}@example.org`);
    if (s.format === 'uri') return fc.constantFrom('https://example.org/', 'https://example.org/a?b=c');
    if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    if (s.pattern) {
      return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= min && x.length <= (s.maxLength ?? Infinity));
    }
    // names this API gives meaning to: the seeded study's question keys, a poll's option ids
    if (name === 'questionKey') return fc.constantFrom('support', 'attention', 'unknown-key');
    if (name === 'choices' || name === 'choice') return fc.constantFrom('o1', 'o2', 'blue', 'red');
    if (/timeZone/i.test(name)) return fc.constantFrom('Asia/Jerusalem', 'Asia/Hebron', 'UTC', 'Europe/Berlin');
    if (/^(language|locale)$/.test(name)) return fc.constantFrom('en', 'he', 'ar');
    if (/password/i.test(name)) return fc.constant('a long enough password');
    return fc.oneof(
      { weight: 3, arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: max }) },
      { weight: 1, arbitrary: fc.constantFrom('שלום עולם', 'مرحبا بالعالم', 'Hello, world', 'Ünïcödé ✓').filter((x) => x.length >= min && x.length <= (s.maxLength ?? Infinity)) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.max(min, 1), maxLength: max }) },
    );
  }

  /** A valid-looking value with one thing made hostile: a string leaf, a wrong type, an extra field, a missing one. */
  hostile(schema: Schema, name = ''): fc.Arbitrary<unknown> {
    const mutation = fc.oneof(
      // text spoiled in place (the rest of the value still valid, so it gets as far as it can)
      { weight: 4, arbitrary: fc.constantFrom(...SPOILERS).map((f) => ({ kind: 'spoil' as const, v: f })) },
      { weight: 2, arbitrary: hostileString.map((v) => ({ kind: 'text' as const, v })) },
      { weight: 2, arbitrary: wrongValue.map((v) => ({ kind: 'type' as const, v })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'extra' as const, v: '\u0000' }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'drop' as const, v: undefined }) },
    );
    return fc.tuple(this.valid(schema, name), fc.nat(), mutation).map(([value, pick, m]) => mutate(value, pick, m));
  }
}

/** Ways to spoil a string and keep it otherwise as it was: a NUL or a lone surrogate at its start, middle or end. */
export const SPOILERS: ((s: string) => string)[] = [
  (s) => `${s}\u0000`,
  (s) => `\u0000${s}`,
  (s) => `${s.slice(0, s.length >> 1)}\u0000${s.slice(s.length >> 1)}`,
  (s) => `${s}\uD800`,
  (s) => `\uDFFF${s}`,
  (s) => `${s.slice(0, s.length >> 1)}\uDBFF${s.slice(s.length >> 1)}`,
];

/** What makes two items of a list the same: the value, or an object's id or key. */
function identity(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return JSON.stringify(v);
  const o = v as Record<string, unknown>;
  const idKey = Object.keys(o).find((k) => k === 'key' || k === 'id' || /Id$/.test(k));
  return idKey ? `${idKey}:${String(o[idKey])}` : JSON.stringify(o);
}

/** A span generated as two independent instants is put in order: the end an hour after the start. */
function ordered(o: Record<string, unknown>): Record<string, unknown> {
  for (const [a, b, ms] of [
    ['startsAt', 'endsAt', 3_600_000],
    ['opensAt', 'closesAt', 86_400_000],
    ['startDate', 'endDate', 86_400_000],
  ] as const) {
    if (typeof o[a] === 'string' && typeof o[b] === 'string') {
      const end = new Date(Date.parse(o[a] as string) + ms).toISOString();
      o[b] = (o[b] as string).length === 10 ? end.slice(0, 10) : end;
    }
  }
  return o;
}

type Mutation = { kind: 'text' | 'type' | 'extra' | 'drop'; v: unknown } | { kind: 'spoil'; v: (s: string) => string };

/** Replaces one leaf (chosen by `pick`) of a JSON value, adds a field, or drops one. */
export function mutate(value: unknown, pick: number, m: Mutation): unknown {
  const paths: (string | number)[][] = [];
  const strings: (string | number)[][] = [];
  const objects: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') {
      objects.push(path);
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    } else {
      paths.push(path);
      if (typeof v === 'string') strings.push(path);
    }
  };
  walk(value, []);
  const clone = structuredClone(value) as unknown;
  const get = (p: (string | number)[]) => p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], clone);
  if (m.kind === 'spoil') {
    // a string of the value spoiled in place; a value without strings gets one where a field was
    if (!strings.length) return mutate(value, pick, { kind: 'text', v: m.v('x') });
    const p = strings[pick % strings.length]!;
    if (p.length === 0) return m.v(clone as string);
    const parent = get(p.slice(0, -1)) as Record<string | number, string>;
    parent[p[p.length - 1]!] = m.v(parent[p[p.length - 1]!]!);
    return clone;
  }
  if (m.kind === 'extra' || m.kind === 'drop') {
    if (!objects.length) return m.kind === 'extra' ? { extra: m.v } : clone;
    const target = get(objects[pick % objects.length]!) as Record<string, unknown>;
    if (m.kind === 'extra') target[pick % 2 ? 'extraField' : 'bad\u0000key'] = pick % 3 ? m.v : 1;
    else {
      const keys = Object.keys(target);
      if (keys.length) delete target[keys[pick % keys.length]!];
    }
    return clone;
  }
  if (!paths.length || paths[0]!.length === 0) return m.v;
  const p = paths[pick % paths.length]!;
  const parent = get(p.slice(0, -1)) as Record<string | number, unknown>;
  parent[p[p.length - 1]!] = m.v;
  return clone;
}

/** The path parameters of a template, e.g. /api/meetings/{id}/grants/{userId} -> [{name: id, after: meetings}, …] */
export function pathParams(template: string): { name: string; after: string }[] {
  const segs = template.split('/');
  return segs.flatMap((s, i) => (s.startsWith('{') ? [{ name: s.slice(1, -1), after: segs[i - 1] ?? '' }] : []));
}

export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

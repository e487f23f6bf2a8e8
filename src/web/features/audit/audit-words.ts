import type { TFunction } from 'i18next';

// The audit log in the reader's words: actions, kinds of record and the fields of an entry's details are codes on the
// server (user.update, meeting, restricted); here they are the catalog's words. A code the catalog does not know yet
// shows as "Other action (code)", so that nothing reads as if it were translated when it is not.

/** Where the words of a field's coded values are, by field (and, for `kind`, by the kind of record). */
const VALUE_GROUPS: Record<string, (entityType: string) => string[]> = {
  kind: (type) => (type === 'meeting' ? ['meeting.kinds'] : type === 'organisation' ? ['org.kinds'] : type === 'person' ? ['person.contactKinds', 'person.nameKinds'] : []),
  status: () => ['org.statuses'],
  role: () => ['roleNames'],
  method: () => ['audit.values'],
  source: () => ['audit.values'],
};
const LANGUAGE_FIELDS = new Set(['language', 'languages', 'locale']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every leaf of a nested catalog object, as dotted keys: { user: { update: 'x' } } → [['user.update', 'x']]. */
function leaves(o: unknown, prefix = ''): [string, string][] {
  if (typeof o === 'string') return [[prefix, o]];
  if (!o || typeof o !== 'object') return [];
  return Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

export type AuditWords = ReturnType<typeof auditWords>;

export function auditWords(t: TFunction, lang: string) {
  // objects of the catalog, not strings: audit.actions, audit.kinds, audit.fields
  const group = (name: 'actions' | 'kinds' | 'fields') => new Map(leaves(t(`audit.${name}`, { returnObjects: true })));
  const actions = group('actions');
  const kinds = group('kinds');
  const fields = group('fields');
  const collator = new Intl.Collator(lang);
  const byLabel = (a: { label: string }, b: { label: string }) => collator.compare(a.label, b.label);

  const action = (code: string) => actions.get(code) ?? t('audit.otherAction', { code });
  const kind = (code: string) => kinds.get(code) ?? t('audit.otherKind', { code });
  const languageNames = new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' });
  // a field named by a language (a name per language) is that language's name
  const field = (code: string) => fields.get(code) ?? (/^(en|he|ar)$/.test(code) ? (languageNames.of(code) ?? code) : code);

  const coded = (v: string, key: string, entityType: string): string => {
    if (key === 'fields' || key === 'changed') return field(v);
    if (LANGUAGE_FIELDS.has(key) && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(v)) return languageNames.of(v) ?? v;
    for (const group of VALUE_GROUPS[key]?.(entityType) ?? []) {
      const word = t(`${group}.${v}`, { defaultValue: '' });
      if (word) return word;
    }
    return v;
  };

  const value = (v: unknown, key: string, entityType: string): string => {
    if (v === true) return t('audit.yes');
    if (v === false) return t('audit.no');
    if (typeof v === 'number') return v.toLocaleString(lang);
    if (typeof v === 'string') return coded(v, key, entityType);
    if (Array.isArray(v)) return v.map((x) => value(x, key, entityType)).join(', ');
    if (v && typeof v === 'object') return `(${detail(v as Record<string, unknown>, entityType)})`;
    return String(v);
  };

  /**
   * "Title: Budget talks · Restricted: yes": empty values and ids (uuids, *Id fields) are left out (the record column
   * links the record).
   */
  const detail = (d: Record<string, unknown> | null, entityType = ''): string => {
    if (!d) return '';
    return Object.entries(d)
      .filter(([k, v]) => v !== null && v !== undefined && v !== '' && !/Ids?$/.test(k) && !(typeof v === 'string' && UUID.test(v)))
      .map(([k, v]) => `${field(k)}: ${value(v, k, entityType)}`)
      .join(' · ');
  };

  return {
    t,
    action,
    kind,
    detail,
    actionOptions: [...actions].map(([value, label]) => ({ value, label })).sort(byLabel),
    kindOptions: [...kinds].map(([value, label]) => ({ value, label })).sort(byLabel),
  };
}

import type { TFunction } from 'i18next';

// The audit log in the reader's words: actions, kinds of record and the fields of an entry's details are codes on the
// server (user.update, meeting, restricted); here they are the catalog's words. A code the catalog does not know yet
// shows as "Other action (code)", so that nothing reads as if it were translated when it is not.

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
  const field = (code: string) => fields.get(code) ?? code;

  const value = (v: unknown, key: string): string => {
    if (v === true) return t('audit.yes');
    if (v === false) return t('audit.no');
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'number') return v.toLocaleString(lang);
    if (typeof v === 'string') return key === 'fields' || key === 'changed' ? field(v) : v;
    if (Array.isArray(v)) return v.map((x) => value(x, key)).join(', ');
    if (typeof v === 'object') return `(${detail(v as Record<string, unknown>)})`;
    return String(v);
  };

  /** "Title: Budget talks · Restricted: yes": ids (uuids, *Id fields) are left out; the record column links the record. */
  const detail = (d: Record<string, unknown> | null): string => {
    if (!d) return '';
    return Object.entries(d)
      .filter(([k, v]) => !/Ids?$/.test(k) && !(typeof v === 'string' && UUID.test(v)))
      .map(([k, v]) => `${field(k)}: ${value(v, k)}`)
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

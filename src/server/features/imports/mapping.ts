import { AppError, type FieldError } from '../../core/errors.ts';
import { normalizeName } from '../network/names.ts';
import { ORGANISATION_FIELDS, PERSON_FIELDS, type ImportField } from './imports.contract.ts';

// Which column holds which field: the user's mapping, checked, or one suggested from the headers in any of
// the three languages ("Organisation name", "E-mail", "שם", "الاسم").

const ORGANISATION_SYNONYMS: Record<string, string[]> = {
  name: ['name', 'organisation', 'organization', 'organisation name', 'organization name', 'org', 'org name', 'שם', 'שם הארגון', 'ארגון', 'الاسم', 'اسم', 'اسم المنظمة', 'المنظمة', 'اسم المؤسسة', 'المؤسسة'],
  name_he: ['name he', 'hebrew name', 'name hebrew', 'name in hebrew', 'hebrew', 'שם בעברית', 'עברית', 'الاسم بالعبرية'],
  name_ar: ['name ar', 'arabic name', 'name arabic', 'name in arabic', 'arabic', 'שם בערבית', 'ערבית', 'الاسم بالعربية', 'الاسم العربي'],
  name_en: ['name en', 'english name', 'name english', 'name in english', 'english', 'שם באנגלית', 'الاسم بالإنجليزية', 'الاسم بالانجليزية'],
  kind: ['kind', 'type', 'category', 'organisation type', 'organization type', 'סוג', 'النوع', 'الفئة'],
  status: ['status', 'membership', 'membership status', 'סטטוס', 'מעמד', 'الحالة', 'العضوية'],
  country: ['country', 'country code', 'מדינה', 'ארץ', 'الدولة', 'البلد'],
  area: ['area', 'region', 'אזור', 'המחוז', 'المنطقة'],
  city: ['city', 'town', 'עיר', 'יישוב', 'المدينة', 'البلدة'],
  website: ['website', 'web site', 'web', 'url', 'site', 'homepage', 'אתר', 'אתר אינטרנט', 'الموقع', 'الموقع الإلكتروني'],
  languages: ['languages', 'language', 'שפות', 'שפה', 'اللغات', 'اللغة'],
  description: ['description', 'about', 'תיאור', 'אודות', 'الوصف', 'نبذة'],
  tags: ['tags', 'tag', 'labels', 'תגיות', 'תגים', 'الوسوم', 'العلامات'],
  owner_email: ['owner email', 'owner', 'relationship owner', 'staff owner', 'staff', 'אחראי', 'אחראי קשר', 'المسؤول'],
};

const PERSON_SYNONYMS: Record<string, string[]> = {
  name: ['name', 'full name', 'person', 'contact', 'contact name', 'שם', 'שם מלא', 'الاسم', 'اسم', 'الاسم الكامل'],
  name_he: ORGANISATION_SYNONYMS.name_he!,
  name_ar: ORGANISATION_SYNONYMS.name_ar!,
  transliterations: ['transliterations', 'transliteration', 'spellings', 'other spellings', 'also known as', 'aka', 'תעתיק', 'תעתיקים', 'كتابات أخرى'],
  email: ['email', 'e mail', 'emails', 'e mails', 'mail', 'email address', 'e mail address', 'דואל', 'אימייל', 'מייל', 'דואר אלקטרוני', 'البريد الإلكتروني', 'البريد الالكتروني', 'البريد', 'ايميل'],
  phone: ['phone', 'phones', 'telephone', 'tel', 'mobile', 'cell', 'phone number', 'טלפון', 'נייד', 'הטלפון', 'هاتف', 'الهاتف', 'جوال', 'رقم الهاتف'],
  preferred_language: ['preferred language', 'language', 'lang', 'שפה', 'שפה מועדפת', 'اللغة', 'اللغة المفضلة'],
  organisation: ['organisation', 'organization', 'organisation name', 'organization name', 'org', 'company', 'affiliation', 'ארגון', 'שם הארגון', 'المنظمة', 'المؤسسة', 'الجهة'],
  title: ['title', 'job title', 'position', 'role', 'תפקיד', 'المنصب', 'الوظيفة', 'الصفة'],
  tags: ORGANISATION_SYNONYMS.tags!,
  notes: ['notes', 'note', 'comments', 'comment', 'הערות', 'ملاحظات'],
};

function key(header: string): string {
  return normalizeName(header.replace(/_/g, ' '));
}

export function fieldsOf(list: 'organisations' | 'people'): readonly string[] {
  return list === 'organisations' ? ORGANISATION_FIELDS : PERSON_FIELDS;
}

/** The field each header most likely holds; each field is suggested for at most one column. */
export function suggestMapping(list: 'organisations' | 'people', columns: string[]): Record<string, string> {
  const synonyms = list === 'organisations' ? ORGANISATION_SYNONYMS : PERSON_SYNONYMS;
  const lookup = new Map<string, string>();
  for (const [field, words] of Object.entries(synonyms)) {
    lookup.set(key(field), field);
    for (const w of words) if (!lookup.has(key(w))) lookup.set(key(w), field);
  }
  const mapping: Record<string, string> = {};
  const taken = new Set<string>();
  for (const c of columns) {
    const field = lookup.get(key(c));
    if (field && !taken.has(field)) {
      mapping[c] = field;
      taken.add(field);
    }
  }
  return mapping;
}

/** Checks a mapping against the file's columns and the list's fields; 400 naming each bad entry. */
export function checkMapping(list: 'organisations' | 'people', columns: string[], mapping: Record<string, string>): Record<string, ImportField> {
  const fields = fieldsOf(list);
  const errors: FieldError[] = [];
  const byField = new Map<string, string>();
  const out: Record<string, ImportField> = {};
  for (const [column, rawField] of Object.entries(mapping)) {
    const field = rawField.trim();
    if (field === '' || field === 'ignore') continue;
    if (!columns.includes(column)) errors.push({ field: `body.mapping.${column}`, detail: 'No such column in the file' });
    else if (!fields.includes(field)) errors.push({ field: `body.mapping.${column}`, detail: `Unknown field; use one of ${fields.join(', ')}` });
    else if (byField.has(field)) errors.push({ field: `body.mapping.${column}`, detail: `The field ${field} is already mapped from "${byField.get(field)}"` });
    else {
      byField.set(field, column);
      out[column] = field as ImportField;
    }
  }
  if (errors.length === 0) {
    const has = (f: string) => byField.has(f);
    if (list === 'organisations' && !['name', 'name_he', 'name_ar', 'name_en'].some(has)) {
      errors.push({ field: 'body.mapping', detail: 'Map a column to name (or name_he, name_ar, name_en)' });
    }
    if (list === 'people' && !['name', 'email'].some(has)) errors.push({ field: 'body.mapping', detail: 'Map a column to name or email' });
  }
  if (errors.length) throw new AppError('invalid', 'invalid_mapping', 'The column mapping does not fit the file.', errors);
  return out;
}

import { describe, expect, it } from 'vitest';
import { catalogs } from './catalogs.ts';
import { flattenCatalog } from './locales.ts';

// Hebrew has one register of address (docs/i18n.md): the reader is addressed in the plural, which is
// gender-neutral ("בחרו", "הזינו", "שלכם"); buttons and labels are action nouns ("שמירה"). This test fails on the
// register we excluded: the singular second person ("שלך", "אתה", "את/ה") and masculine-singular imperatives
// ("בחר", "הקלד"). The lists name only words with no other common reading ("שמור" is also "saved", "עבור" is
// "for", "כתוב" is "written": they are not listed).

/** Singular second person: pronouns and possessives, and past-tense verbs of the reader. */
const SINGULAR_YOU = [
  'אתה', 'שלך', 'לך', 'אותך', 'אינך', 'עליך', 'אצלך', 'ממך', 'אליך', 'בשבילך', 'לפניך', 'לרשותך', 'הנך',
  'בחרת', 'כתבת', 'שכחת', 'התחלת', 'קיבלת', 'שלחת', 'ביקשת', 'השתתפת', 'הצבעת', 'נתת', 
];
/** Masculine-singular imperatives (and "do not …" in the singular). */
const SINGULAR_IMPERATIVE = [
  'הזן', 'לחץ', 'הקלד', 'הוסף', 'בחר', 'בדוק', 'בקש', 'השתמש', 'היכנס', 'הירשם', 'נסה', 'ודא', 'הדבק', 'פנה', 'המתן',
  'צור', 'ערוך', 'מחק', 'סמן', 'העלה', 'הורד', 'תשתף', 'תשכח', 'תסגור',
];
/** Prefixes that can stand before these words: and, that, when (ו, ש, כש and their joins). "ה" and "מ" are left
 * out on purpose: "הלך" (went) and "מהלך" (a move) are not "לך". */
const PREFIX = /^(ו|ש|כש|וש|וכש)(?=.)/;

export function excludedRegister(text: string): string[] {
  const found: string[] = [];
  if (/את\/ה/.test(text)) found.push('את/ה');
  for (const word of text.match(/[\u05D0-\u05EA]+/g) ?? []) {
    const bare = word.replace(PREFIX, '');
    if (SINGULAR_YOU.includes(word) || SINGULAR_YOU.includes(bare)) found.push(word);
    else if (SINGULAR_IMPERATIVE.includes(word) || (word.startsWith('ו') && SINGULAR_IMPERATIVE.includes(word.slice(1)))) found.push(word);
  }
  // the singular negative imperative: "אל תשתף"
  for (const m of text.matchAll(/אל (ת[\u05D0-\u05EA]+)/g)) if (SINGULAR_IMPERATIVE.includes(m[1]!) && !found.includes(m[1]!)) found.push(m[1]!);
  return found;
}

describe('the Hebrew register of address', () => {
  it('the check tells the excluded register from the chosen one', () => {
    for (const bad of ['בחר תקופה קצרה יותר.', 'הקוד שלך', 'את/ה ביקשת את המחיקה', 'הקלד חלק מהשם', 'אם הוא נחוץ לך, פנה למנהל', 'לכן אל תשתף אותה', 'הארגון שבחרת', 'ביומן שבו אתה משתמש', 'בחר "הרשמה" והדבק'])
      expect(excludedRegister(bad), bad).not.toEqual([]);
    for (const good of ['בחרו תקופה קצרה יותר.', 'הקוד שלכם', 'אתם ביקשתם את המחיקה', 'הקלידו חלק מהשם', 'פלח שמור', 'כתוב ב: {{script}}', 'קישור עבור {{name}}', 'הולך ומתקרב', '{{name}} ביקש/ה', 'שמירה', 'לכל', 'אל תשתפו אותה', 'הלך'])
      expect(excludedRegister(good), good).toEqual([]);
  });

  it('no Hebrew string addresses the reader in the singular', () => {
    const he = flattenCatalog(catalogs.he);
    const found = Object.entries(he).flatMap(([key, text]) => excludedRegister(text).map((w) => `${key}: "${w}" in "${text}"`));
    expect(found).toEqual([]);
  });
});

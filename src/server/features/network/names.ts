// Names are searched across three scripts and the spellings people use. `norm` is the form stored beside
// every name and compared with trigrams: case, accents, Hebrew points and Arabic diacritics folded, the
// Arabic letters that are written interchangeably unified, punctuation turned to spaces.

export type Script = 'latin' | 'hebrew' | 'arabic' | 'other';

export const HEBREW = /[\u0590-\u05FF]/;
export const ARABIC = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const LATIN = /[A-Za-z\u00C0-\u024F]/;

/** The script most of the letters are in. */
export function detectScript(text: string): Script {
  let he = 0;
  let ar = 0;
  let la = 0;
  for (const ch of text) {
    if (HEBREW.test(ch)) he++;
    else if (ARABIC.test(ch)) ar++;
    else if (LATIN.test(ch)) la++;
  }
  const max = Math.max(he, ar, la);
  if (max === 0) return 'other';
  return max === he ? 'hebrew' : max === ar ? 'arabic' : 'latin';
}

export function normalizeName(text: string): string {
  return (
    text
      .normalize('NFKD')
      // Latin accents, Hebrew points and cantillation, Arabic harakat, superscript alef, tatweel
      .replace(/[\u0300-\u036F\u0591-\u05C7\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g, '')
      .normalize('NFKC')
      .toLowerCase()
      // Arabic: alef forms -> alef, alef maqsura -> yeh, teh marbuta -> heh, hamza on waw/yeh -> waw/yeh
      .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
      .replace(/\u0649/g, '\u064A')
      .replace(/\u0629/g, '\u0647')
      .replace(/\u0624/g, '\u0648')
      .replace(/\u0626/g, '\u064A')
      // Persian/Urdu letter forms that show up in pasted text
      .replace(/\u06CC/g, '\u064A')
      .replace(/\u06A9/g, '\u0643')
      // Hebrew final letters -> regular forms, geresh/gershayim and quotes dropped
      .replace(/\u05DA/g, '\u05DB')
      .replace(/\u05DD/g, '\u05DE')
      .replace(/\u05DF/g, '\u05E0')
      .replace(/\u05E3/g, '\u05E4')
      .replace(/\u05E5/g, '\u05E6')
      .replace(/[\u05F3\u05F4'"`´‘’“”]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

// Names to test ordering with: every quoted text of the demo network (src/cli/demo/), and generated ones that mix
// Hebrew, Arabic and Latin letters with their accents, points, harakat, final forms, hamza forms, digits in three
// scripts and punctuation. Deterministic (seeded).
import fs from 'node:fs';
import path from 'node:path';

const demoFolder = path.resolve(import.meta.dirname, '../../src/cli/demo');

export function demoNames(): string[] {
  const out = new Set<string>();
  for (const file of fs.readdirSync(demoFolder)) {
    if (!file.endsWith('.ts')) continue;
    const text = fs.readFileSync(path.join(demoFolder, file), 'utf8');
    for (const m of text.matchAll(/'([^'\\\n]{2,80})'/g)) {
      const s = m[1]!;
      if (/[A-Za-z\u05D0-\u05EA\u0621-\u064A]/.test(s) && !/[${}]/.test(s)) out.add(s);
    }
  }
  return [...out];
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...'éèêëÉàâäçñøåæœßüöÖÜłđı',
  ...'אבגדהוזחטיכךלמםנןסעפףצץקרשת',
  '\u05B0', '\u05B4', '\u05BC', '\u05C1', '׳', '״',
  ...'ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي',
  '\u064B', '\u064E', '\u064F', '\u0650', '\u0651', '\u0652', '\u0670', 'ـ', 'پ', 'چ', 'ژ', 'گ', 'ک', 'ی', 'ٱ',
  ...'0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹',
  ' ', ' ', ' ', '-', '–', "'", '’', '"', '.', ',', '(', ')', '&', '/', '،', '؟', '\u200F', '\u200C',
  '日', 'Ж', 'ж', 'α',
];

/** `n` names of one to four words, each of one to nine pieces. */
export function generatedNames(n: number, seed = 1): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = 1 + Math.floor(r() * 4);
    const ws: string[] = [];
    for (let w = 0; w < words; w++) {
      let word = '';
      const len = 1 + Math.floor(r() * 9);
      for (let k = 0; k < len; k++) word += PIECES[Math.floor(r() * PIECES.length)]!;
      ws.push(word);
    }
    out.push(ws.join(' ').trim() || 'x');
  }
  return out;
}

/** Names built to sit close to each other: the same name with a variant letter, accent, point, digit or space. */
export function nearNames(): string[] {
  return [
    'Ali', 'ali', 'Áli', 'Alí', 'Al-i', 'Al i', 'Alia', 'Ali2', 'Ali 2', 'Ali 10', 'Ali 02', 'Ali 9', 'Ali ٣', 'Ali ۱۱',
    'file1', 'file10', 'file2', 'file 1', 'file01', '007', '7', '70', '0', '00',
    'Straße', 'Strasse', 'Strase', 'Æsop', 'Aesop', 'Œuvre', 'Oeuvre',
    'מלך', 'מלכה', 'מלכ', 'שָׁלוֹם', 'שלום', 'שלומ', 'צ׳יפס', 'ציפס', 'צה״ל', 'צהל',
    'أحمد', 'احمد', 'إحمد', 'آحمد', 'مدرسة', 'مدرسه', 'مدرست', 'مصطفى', 'مصطفي', 'محمّد', 'محمد', 'مـحـمـد', 'مُحَمَّد',
    'سؤال', 'سوال', 'رئيس', 'رييس', 'ٱلله', 'الله', 'یوسف', 'يوسف', 'کريم', 'كريم',
    'Ahmad', 'אחמד', 'احمد', 'Ωmega', 'Жанна', '東京', 'Émile', 'emile', 'Zoë', 'zoe',
  ];
}

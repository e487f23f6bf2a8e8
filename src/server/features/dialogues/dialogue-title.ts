import { localized } from '../../public/language.ts';
import type { LocalizedText } from './dialogues.schema.ts';

/**
 * A dialogue's title is written per language, like its introduction: { en?, he?, ar? }. A reader sees it in their
 * language, else in the first of the dialogue's languages that has it, else in any.
 */
export function titleFor(title: LocalizedText, lang: string | null | undefined, languages: readonly string[]): string {
  return localized(title, lang ?? languages[0] ?? 'en', languages);
}

/** The language a title typed as one string is written in: Hebrew or Arabic by its letters, else English. */
export function titleLanguage(text: string): 'en' | 'he' | 'ar' {
  const he = (text.match(/[\u0590-\u05FF]/g) ?? []).length;
  const ar = (text.match(/[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/g) ?? []).length;
  if (!he && !ar) return 'en';
  return ar > he ? 'ar' : 'he';
}

/** A title as the API takes it (one string, or per language) as stored: per language, without empty entries. */
export function titleFromInput(input: string | LocalizedText): LocalizedText {
  if (typeof input === 'string') return { [titleLanguage(input)]: input.trim() };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => !!v?.trim()).map(([k, v]) => [k, v!.trim()]));
}

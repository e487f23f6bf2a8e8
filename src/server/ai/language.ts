import { detectScript } from '../features/network/names.ts';

export type DetectedLanguage = 'he' | 'ar' | 'en' | 'other';

/**
 * The language a statement is written in, guessed from its script: Hebrew letters mean Hebrew, Arabic letters
 * Arabic, Latin letters English. Good enough for the three languages Convene works in; anything else is 'other'
 * and left to the provider (or shown as it is).
 */
export function detectLanguage(text: string): DetectedLanguage {
  switch (detectScript(text)) {
    case 'hebrew':
      return 'he';
    case 'arabic':
      return 'ar';
    case 'latin':
      return 'en';
    default:
      return 'other';
  }
}

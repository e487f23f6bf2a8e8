import type { LocalizedText } from './studies.api.ts';

// Content a new study starts with (what respondents read, not interface text): staff edit it in the wizard.

export const DEFAULT_OUTCOME_PROMPT: LocalizedText = {
  en: 'How much do you agree with this message?',
  he: 'עד כמה אתם מסכימים עם המסר הזה?',
  ar: 'إلى أي مدى توافق على هذه الرسالة؟',
};

export const DEFAULT_SCALE_LABELS: { min: LocalizedText; max: LocalizedText } = {
  min: { en: 'Strongly disagree', he: 'מתנגדים מאוד', ar: 'أعارض بشدة' },
  max: { en: 'Strongly agree', he: 'מסכימים מאוד', ar: 'أوافق بشدة' },
};

export const DEFAULT_ATTENTION = {
  prompt: {
    en: 'To show that you are reading carefully, choose "Blue".',
    he: 'כדי להראות שאתם קוראים בעיון, בחרו "כחול".',
    ar: 'لتُظهر أنك تقرأ بعناية، اختر "أزرق".',
  } as LocalizedText,
  options: [
    { id: 'red', label: { en: 'Red', he: 'אדום', ar: 'أحمر' } as LocalizedText },
    { id: 'blue', label: { en: 'Blue', he: 'כחול', ar: 'أزرق' } as LocalizedText },
    { id: 'green', label: { en: 'Green', he: 'ירוק', ar: 'أخضر' } as LocalizedText },
  ],
  correctOption: 'blue',
};

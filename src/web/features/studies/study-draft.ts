import { DEFAULT_ATTENTION, DEFAULT_OUTCOME_PROMPT, DEFAULT_SCALE_LABELS } from './study-defaults.ts';
import { STUDY_LANGUAGES, type CreateStudyBody, type LocalizedText, type QuestionInput, type QuestionKind, type Randomization, type StudyLanguage } from './studies.api.ts';

// The wizard's draft of a new study, and the request body it becomes (kept apart from the components, so it is
// tested without a browser).

export type PopulationDraft = { key: string; keyTouched: boolean; name: LocalizedText; languages: StudyLanguage[]; targetN: number | null };
export type ArmDraft = { key: string; keyTouched: boolean; text: LocalizedText };
export type OptionDraft = { id: string; label: LocalizedText };
export type QuestionDraft = {
  key: string;
  keyTouched: boolean;
  kind: QuestionKind;
  prompt: LocalizedText;
  scaleMin: number;
  scaleMax: number;
  minLabel: LocalizedText;
  maxLabel: LocalizedText;
  options: OptionDraft[];
};
export type Draft = {
  title: string;
  description: string;
  languages: StudyLanguage[];
  consent: LocalizedText;
  thanks: LocalizedText;
  populations: PopulationDraft[];
  control: LocalizedText;
  messages: ArmDraft[];
  brief: string;
  outcomes: QuestionDraft[];
  primary: number;
  covariates: QuestionDraft[];
  attention: boolean;
  attentionPrompt: LocalizedText;
  attentionOptions: OptionDraft[];
  attentionCorrect: string;
  randomization: Randomization;
  blockRepeats: number;
};

export const newPopulation = (i: number, languages: StudyLanguage[]): PopulationDraft => ({ key: `population-${i + 1}`, keyTouched: false, name: {}, languages: [...languages], targetN: 400 });
export const newMessage = (i: number): ArmDraft => ({ key: `message-${i + 1}`, keyTouched: false, text: {} });
export const newQuestion = (key: string): QuestionDraft => ({ key, keyTouched: false, kind: 'scale', prompt: {}, scaleMin: 1, scaleMax: 7, minLabel: {}, maxLabel: {}, options: [] });

export function initialDraft(): Draft {
  const languages: StudyLanguage[] = ['he', 'ar', 'en'];
  return {
    title: '',
    description: '',
    languages,
    consent: {},
    thanks: {},
    populations: [newPopulation(0, languages), newPopulation(1, languages)],
    control: {},
    messages: [newMessage(0)],
    brief: '',
    outcomes: [{ ...newQuestion('agreement'), keyTouched: true, prompt: { ...DEFAULT_OUTCOME_PROMPT }, minLabel: { ...DEFAULT_SCALE_LABELS.min }, maxLabel: { ...DEFAULT_SCALE_LABELS.max } }],
    primary: 0,
    covariates: [],
    attention: false,
    attentionPrompt: { ...DEFAULT_ATTENTION.prompt },
    attentionOptions: DEFAULT_ATTENTION.options.map((o) => ({ id: o.id, label: { ...o.label } })),
    attentionCorrect: DEFAULT_ATTENTION.correctOption,
    randomization: 'block',
    blockRepeats: 2,
  };
}

/** Only the languages asked for, trimmed. */
function pick(text: LocalizedText, languages: readonly StudyLanguage[]): LocalizedText {
  const out: LocalizedText = {};
  for (const l of languages) if (text[l]?.trim()) out[l] = text[l]!.trim();
  return out;
}

function toQuestion(q: QuestionDraft, role: QuestionInput['role'], languages: StudyLanguage[], primary = false): QuestionInput {
  const base: QuestionInput = { key: q.key.trim(), role, kind: q.kind, prompt: pick(q.prompt, languages) };
  if (q.kind === 'scale') {
    const min = pick(q.minLabel, languages);
    const max = pick(q.maxLabel, languages);
    Object.assign(base, { scaleMin: q.scaleMin, scaleMax: q.scaleMax, scaleLabels: { ...(Object.keys(min).length ? { min } : {}), ...(Object.keys(max).length ? { max } : {}) } });
  }
  if (q.kind === 'choice') base.options = q.options.map((o) => ({ id: o.id, label: pick(o.label, languages) }));
  if (role === 'outcome') base.primary = primary;
  return base;
}

export function toCreateBody(d: Draft): CreateStudyBody {
  const langs = d.languages;
  const consent = pick(d.consent, langs);
  const thanks = pick(d.thanks, langs);
  const questions: QuestionInput[] = [
    ...d.outcomes.map((q, i) => toQuestion(q, 'outcome', langs, i === d.primary)),
    ...d.covariates.map((q) => toQuestion(q, 'covariate', langs)),
  ];
  if (d.attention)
    questions.push({
      key: 'attention',
      role: 'attention',
      kind: 'choice',
      prompt: pick(d.attentionPrompt, langs),
      options: d.attentionOptions.map((o) => ({ id: o.id, label: pick(o.label, langs) })),
      correctOption: d.attentionCorrect,
    });
  return {
    title: d.title.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    languages: langs,
    randomization: d.randomization,
    ...(d.randomization === 'block' ? { blockRepeats: d.blockRepeats } : {}),
    ...(Object.keys(consent).length ? { consent } : {}),
    ...(Object.keys(thanks).length ? { thanks } : {}),
    ...(d.brief.trim() ? { brief: d.brief.trim() } : {}),
    populations: d.populations.map((p) => ({
      key: p.key.trim(),
      name: pick(p.name, langs),
      languages: STUDY_LANGUAGES.filter((l) => p.languages.includes(l) && langs.includes(l)),
      ...(p.targetN ? { targetN: p.targetN } : {}),
    })),
    arms: [{ key: 'control', control: true, text: pick(d.control, langs) }, ...d.messages.map((m) => ({ key: m.key.trim(), text: pick(m.text, langs) }))],
    questions,
  };
}


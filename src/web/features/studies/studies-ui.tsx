import { Badge, List, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { fieldText } from '../../components/errors.ts';
import { intlLocale } from '../../format.ts';
import { languageDir, pickText } from '../dialogues/dialogues-ui.tsx';
import { studiesApi, studyKeys, type LocalizedText, type StudyLanguage, type StudyStatus, type Verdict } from './studies.api.ts';

export { cleanText, Figure, hasText, LanguageBadge, languageDir, pickText, Typed, useMe } from '../dialogues/dialogues-ui.tsx';

/** A study with its counts; re-read every 15 seconds while its survey is open (responses arrive). */
export function useStudy(id: string) {
  return useQuery({
    queryKey: studyKeys.one(id),
    queryFn: () => studiesApi.get(id),
    refetchInterval: (q) => (q.state.data?.status === 'open' ? 15_000 : false),
  });
}

/** A name or text in the reader's language, else the first written. */
export function useLocalized() {
  const { i18n } = useTranslation();
  return (text: LocalizedText | Record<string, string> | undefined, order?: readonly string[]) => pickText(text as Record<string, string> | undefined, i18n.language, order).text;
}

export function StatusBadge({ status }: { status: StudyStatus }) {
  const { t } = useTranslation();
  const colour = status === 'open' ? 'teal' : status === 'closed' ? 'gray' : 'yellow';
  return (
    <Badge color={colour} variant="light" data-testid="study-status">
      {t(`studies.status.${status}`)}
    </Badge>
  );
}

/** Verdict colours stay apart for common colour blindness; the word always goes with the colour. */
export const VERDICT_COLOUR: Record<Verdict, string> = { persuades_both: 'teal.9', persuades_one: 'blue.9', backfires: 'red.9', inconclusive: 'gray.8' };

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const { t } = useTranslation();
  return (
    <Badge color={VERDICT_COLOUR[verdict]} variant="filled" data-testid="verdict" styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}>
      {t(`studies.verdicts.${verdict}`)}
    </Badge>
  );
}

/** A titled part of a page. */
export function Section(props: { title: string; hint?: ReactNode; id: string; children: ReactNode; actions?: ReactNode; dashed?: boolean }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={props.id} style={props.dashed ? { borderStyle: 'dashed' } : undefined}>
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={2} fz="h4" id={props.id}>
            {props.title}
          </Title>
          {props.hint && (
            <Text size="sm" c="dimmed" maw={860}>
              {props.hint}
            </Text>
          )}
        </Stack>
        {props.actions}
        {props.children}
      </Stack>
    </Paper>
  );
}

/** One box per language, side by side on wide screens, each typed in its own direction. */
export function SideBySide(props: {
  label: string;
  languages: readonly StudyLanguage[];
  value: LocalizedText;
  onChange: (v: LocalizedText) => void;
  multiline?: boolean;
  /** every box, or only those of these languages */
  required?: boolean | readonly StudyLanguage[];
  errors?: Partial<Record<StudyLanguage, string | undefined>>;
  maxLength?: number;
}) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: Math.max(1, props.languages.length) }} spacing="sm">
      {props.languages.map((l) => {
        const common = {
          label: t('studies.form.inLanguage', { label: props.label, language: t(`studies.languages.${l}`) }),
          value: props.value[l] ?? '',
          dir: languageDir(l),
          lang: l,
          maxLength: props.maxLength ?? 4000,
          error: props.errors?.[l],
          withAsterisk: Array.isArray(props.required) ? props.required.includes(l) : !!props.required,
          onChange: (e: { currentTarget: { value: string } }) => props.onChange({ ...props.value, [l]: e.currentTarget.value }),
        };
        return props.multiline ? <Textarea key={l} autosize minRows={3} {...common} /> : <TextInput key={l} {...common} />;
      })}
    </SimpleGrid>
  );
}

/**
 * Numbers in the interface language (Latin digits in Arabic, see format.ts). Signed numbers and p-values are
 * isolated left-to-right (U+2066…U+2069), so "-1.50" and "< 0.001" keep their order inside Hebrew and Arabic text.
 */
export function useNumbers() {
  const { i18n } = useTranslation();
  const locale = intlLocale(i18n.language);
  const missing = (n: number | null | undefined): n is null | undefined => n === null || n === undefined || !Number.isFinite(n);
  const ltr = (s: string) => `\u2066${s}\u2069`;
  return {
    int: (n: number | null | undefined) => (missing(n) ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n)),
    dec: (n: number | null | undefined, digits = 2) => {
      if (missing(n)) return '—';
      const s = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
      return n < 0 ? ltr(s) : s;
    },
    /** an effect with its sign, so a negative one is not mistaken for a positive one */
    signed: (n: number | null | undefined, digits = 2) =>
      missing(n) ? '—' : ltr(new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'exceptZero' }).format(n)),
    p: (n: number | null | undefined) =>
      missing(n)
        ? '—'
        : n < 0.001
          ? ltr(`< ${new Intl.NumberFormat(locale, { minimumFractionDigits: 3 }).format(0.001)}`)
          : new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(n),
    percent: (n: number, digits = 0) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits }).format(n),
  };
}

/** "Jewish Israelis" -> "jewish-israelis"; a name without Latin letters gets a numbered key. */
export function keyFrom(text: string | undefined, fallback: string): string {
  const slug = (text ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || fallback;
}

export const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** The server names each bad field ("populations.1.name.ar"): listed as it says it, with what is wrong in the interface language. */
export function FieldErrors({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || !Object.keys(error.fields).length) return null;
  return (
    <List size="sm" c="red.9" data-testid="server-field-errors">
      {Object.entries(error.fields).map(([field, detail]) => (
        <List.Item key={field}>
          <code dir="ltr">{field}</code>: {fieldText(t, detail)}
        </List.Item>
      ))}
    </List>
  );
}

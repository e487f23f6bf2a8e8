import { Anchor, Badge, Group, Radio, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { intlLocale } from '../../format.ts';
import { meQuery } from '../../session.ts';
import { dialogueKeys, dialoguesApi, type DialogueLanguage, type LocalizedText, type Segment } from './dialogues.api.ts';

/** Viewers read; staff and admins write. Buttons that would only answer 403 are not shown. */
export function useMe() {
  const { data: me } = useQuery(meQuery);
  return { me, canWrite: me?.role === 'staff' || me?.role === 'admin', isAdmin: me?.role === 'admin', timeZone: me?.timeZone ?? 'UTC' };
}

/** A dialogue with its sessions and counts; re-read every 10 seconds while a session is open (statements and participants arrive). */
export function useDialogue(id: string) {
  return useQuery({
    queryKey: dialogueKeys.one(id),
    queryFn: () => dialoguesApi.get(id),
    refetchInterval: (q) => (q.state.data?.sessions.some((s) => s.isOpen) ? 10_000 : false),
  });
}

export const languageDir = (l: string): 'rtl' | 'ltr' => (l === 'he' || l === 'ar' ? 'rtl' : 'ltr');

/** Text written in several languages, in the reader's when it exists, else the first written (in the dialogue's order). */
export function pickText(text: Record<string, string> | undefined, lang: string, order: readonly string[] = ['en', 'he', 'ar']): { text: string; language: string } {
  const t = text ?? {};
  if (t[lang]) return { text: t[lang]!, language: lang };
  for (const l of [...order, ...Object.keys(t)]) if (t[l]) return { text: t[l]!, language: l };
  return { text: '', language: lang };
}

/** A dialogue's title in the reader's language, else in the dialogue's first language that has it. */
export function dialogueTitle(d: { title: string; titles?: Record<string, string>; languages: readonly string[] }, lang: string): string {
  return pickText(d.titles, lang, d.languages).text || d.title;
}

/** A segment's name in the reader's language (segments are named in the dialogue's languages). */
export function useSegmentName(segments: readonly { id: string; name: Record<string, string> }[]) {
  const { t, i18n } = useTranslation();
  return (id: string | null | undefined) => {
    if (!id) return t('dialogues.segment.none');
    const s = segments.find((x) => x.id === id);
    return s ? pickText(s.name, i18n.language).text : t('dialogues.segment.unknown');
  };
}

/** Text someone typed, in a language that may differ from the interface's: isolated, in its own direction. */
export function Typed({ text, language, fw, size }: { text: string; language?: string; fw?: number; size?: string }) {
  return (
    <Text span dir={language ? languageDir(language) : 'auto'} lang={language} fw={fw} size={size} style={{ unicodeBidi: 'isolate' }}>
      {text}
    </Text>
  );
}

/** How statements are moderated: after they are shown ("post") or before ("pre"). */
export function ModerationChoice(props: { value: 'pre' | 'post'; onChange: (v: 'pre' | 'post') => void }) {
  const { t } = useTranslation();
  return (
    <Radio.Group label={t('dialogues.fields.moderation')} value={props.value} onChange={(v) => props.onChange(v as 'pre' | 'post')}>
      <Stack gap={6} mt={6}>
        <Radio value="post" label={t('dialogues.moderationModes.post')} />
        <Radio value="pre" label={t('dialogues.moderationModes.pre')} />
      </Stack>
    </Radio.Group>
  );
}

export function LanguageBadge({ language }: { language: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color="gray" size="sm" styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}>
      {t(`dialogues.languages.${language}`, { defaultValue: language })}
    </Badge>
  );
}

/**
 * A statement in the reader's language when a translation exists, with the original a click away; otherwise
 * the original with its language named.
 */
export function StatementText(props: { body: string; language: string; translations: Record<string, string>; sources?: Record<string, 'ai' | 'human'>; fw?: number }) {
  const { t, i18n } = useTranslation();
  const [showOriginal, setShowOriginal] = useState(false);
  const reader = i18n.language;
  const translated = props.language !== reader ? props.translations[reader] : undefined;
  const showing = translated && !showOriginal ? { text: translated, language: reader } : { text: props.body, language: props.language };
  return (
    <Stack gap={2}>
      {/* inline in a block: the text keeps its own direction and lines up with the page's start */}
      <div>
        <Typed text={showing.text} language={showing.language} fw={props.fw} />
      </div>
      <Group gap={6}>
        <Text size="xs" c="dimmed">
          {translated && !showOriginal
            ? t(!props.sources ? 'dialogues.statement.translated' : props.sources[reader] === 'human' ? 'dialogues.statement.translatedHuman' : 'dialogues.statement.translatedFrom', {
                language: t(`dialogues.languages.${props.language}`, { defaultValue: props.language }),
              })
            : t('dialogues.statement.originalIn', { language: t(`dialogues.languages.${props.language}`, { defaultValue: props.language }) })}
        </Text>
        {translated && (
          <Anchor component="button" type="button" size="xs" onClick={() => setShowOriginal((v) => !v)} aria-pressed={showOriginal}>
            {showOriginal ? t('dialogues.statement.showTranslation') : t('dialogues.statement.showOriginal')}
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}

/** One input per dialogue language, each typed in that language's direction. */
export function LocalizedInputs(props: {
  label: string;
  languages: readonly DialogueLanguage[];
  value: LocalizedText;
  onChange: (v: LocalizedText) => void;
  multiline?: boolean;
  required?: boolean;
  error?: string;
  maxLength?: number;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={6}>
      {props.languages.map((l, i) => {
        const common = {
          label: t('dialogues.form.inLanguage', { label: props.label, language: t(`dialogues.languages.${l}`) }),
          value: props.value[l] ?? '',
          dir: languageDir(l),
          lang: l,
          maxLength: props.maxLength ?? 2000,
          error: i === 0 ? props.error : undefined,
          withAsterisk: props.required && i === 0,
          onChange: (e: { currentTarget: { value: string } }) => props.onChange({ ...props.value, [l]: e.currentTarget.value }),
        };
        return props.multiline ? <Textarea key={l} autosize minRows={2} {...common} /> : <TextInput key={l} {...common} />;
      })}
    </Stack>
  );
}

/** Only the languages with text, trimmed (the server refuses empty strings). */
export function cleanText(v: LocalizedText): LocalizedText {
  const out: LocalizedText = {};
  for (const [k, s] of Object.entries(v)) if (s && s.trim()) out[k as DialogueLanguage] = s.trim();
  return out;
}

export const hasText = (v: LocalizedText) => Object.values(v).some((s) => !!s && !!s.trim());

export function formatPercent(rate: number | null | undefined, lang: string, digits = 0): string {
  if (rate === null || rate === undefined) return '—';
  return new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: digits }).format(rate);
}

export function formatDecimal(n: number | null | undefined, lang: string, digits = 2): string {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(intlLocale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** A figure with its label, for the headline rows. */
export function Figure({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

/** Segments shown in lists, in the dialogue's order. */
export function segmentOptions(segments: readonly Segment[], nameOf: (id: string) => string) {
  return segments.map((s) => ({ value: s.id, label: nameOf(s.id) }));
}

/** "Jewish Israelis" -> "jewish-israelis"; names in Hebrew or Arabic only get a numbered key. */
export function segmentKey(name: LocalizedText, index: number): string {
  const slug = (name.en ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || `segment-${index + 1}`;
}

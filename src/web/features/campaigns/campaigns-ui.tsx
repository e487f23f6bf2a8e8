import { Badge, Group, SimpleGrid, TextInput, Textarea } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { pickText } from '../dialogues/dialogues-ui.tsx';
import { stanceRank, type CampaignAsk, type CampaignTarget, type StanceValue } from './campaigns.api.ts';

export const LANGS = ['en', 'he', 'ar'] as const;
export type Lang = (typeof LANGS)[number];
export type Texts = Record<Lang, string>;
export const emptyTexts = (): Texts => ({ en: '', he: '', ar: '' });
export const textsOf = (v: Record<string, string | undefined> | undefined): Texts => ({ en: v?.en ?? '', he: v?.he ?? '', ar: v?.ar ?? '' });
/** only the languages written */
export const written = (v: Texts): Record<string, string> => Object.fromEntries(Object.entries(v).filter(([, s]) => s.trim()).map(([l, s]) => [l, s.trim()]));
export const dirOf = (l: Lang) => (l === 'en' ? 'ltr' : 'rtl');

/** Each stance's colour (always shown with its name: never colour alone). Light backgrounds keep text contrast. */
export const STANCE_COLOURS: Record<StanceValue, { bg: string; fg: string; mantine: string }> = {
  unknown: { bg: '#f1f3f5', fg: '#343a40', mantine: 'gray' },
  opposed: { bg: '#ffe3e3', fg: '#8a1c1c', mantine: 'red' },
  sceptical: { bg: '#fff0db', fg: '#7a4100', mantine: 'orange' },
  neutral: { bg: '#e7f5ff', fg: '#1c4f80', mantine: 'blue' },
  supportive: { bg: '#d3f9d8', fg: '#1d5e2a', mantine: 'green' },
  champion: { bg: '#b2f2bb', fg: '#0f4a1c', mantine: 'teal' },
};

/** A stance as a coloured badge with its name. */
export function StanceBadge({ value }: { value: StanceValue }) {
  const { t } = useTranslation();
  const c = STANCE_COLOURS[value];
  return (
    <Badge variant="filled" style={{ backgroundColor: c.bg, color: c.fg }} radius="sm" tt="none">
      {t(`campaign.stance.${value}`)}
    </Badge>
  );
}

/** An arrow for a move, up towards champion, down towards opposed, with its words for screen readers. */
export function MoveArrow({ from, to }: { from: StanceValue; to: StanceValue }) {
  const { t } = useTranslation();
  const up = stanceRank(to) > stanceRank(from);
  const label = `${t(up ? 'campaign.grid.up' : 'campaign.grid.down')}, ${t('campaign.grid.movedFrom', { from: t(`campaign.stance.${from}`) })}`;
  const Icon = up ? IconArrowUp : IconArrowDown;
  return (
    <span role="img" aria-label={label} title={label} data-testid="move-arrow" style={{ color: up ? '#1d5e2a' : '#8a1c1c', display: 'inline-flex' }}>
      <Icon size={16} aria-hidden />
    </span>
  );
}

export function RestrictedBadge({ restricted }: { restricted: boolean }) {
  const { t } = useTranslation();
  return restricted ? (
    <Badge variant="light" color="grape" leftSection={<IconLock size={12} aria-hidden />}>
      {t('campaign.restricted')}
    </Badge>
  ) : (
    <Badge variant="light" color="gray">
      {t('campaign.open')}
    </Badge>
  );
}

/** The same text in en, he and ar, each input in its own direction. */
export function TextsInput(props: { value: Texts; onChange: (v: Texts) => void; label: (l: Lang) => string; error?: string; long?: boolean; required?: boolean }) {
  const Input = props.long ? Textarea : TextInput;
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      {LANGS.map((l) => (
        <Input
          key={l}
          label={props.label(l)}
          value={props.value[l]}
          onChange={(e) => props.onChange({ ...props.value, [l]: e.currentTarget.value })}
          dir={dirOf(l)}
          lang={l}
          error={l === 'en' ? props.error : undefined}
          autosize={props.long ? true : undefined}
          minRows={props.long ? 2 : undefined}
        />
      ))}
    </SimpleGrid>
  );
}

export function Row(props: { label: string; children: React.ReactNode }) {
  return (
    <Group gap="xs" wrap="wrap">
      <span style={{ fontWeight: 600 }}>{props.label}:</span>
      {props.children}
    </Group>
  );
}

/** Targets grouped by their group label, in the order the server gives (group, then name). */
export function byGroup(targets: CampaignTarget[]): [string | null, CampaignTarget[]][] {
  const groups = new Map<string | null, CampaignTarget[]>();
  for (const t of targets) (groups.get(t.groupLabel) ?? groups.set(t.groupLabel, []).get(t.groupLabel)!).push(t);
  return [...groups];
}

export const askText = (a: CampaignAsk, lang: string) => pickText(a.text as Record<string, string>, lang);


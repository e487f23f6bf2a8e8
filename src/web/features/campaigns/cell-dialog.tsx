import { Anchor, Blockquote, Button, Divider, Group, Radio, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { formatDate, formatDay, isolate } from '../../format.ts';
import { useMe } from '../dialogues/dialogues-ui.tsx';
import { meetingsApi } from '../meetings/meetings.api.ts';
import { todayIn } from './dates.ts';
import { campaignKeys, campaignsApi, EVIDENCE_KINDS, STANCE_VALUES, type CampaignAsk, type CampaignDetail, type CampaignTarget, type EvidenceKind, type Stance, type StanceValue } from './campaigns.api.ts';
import { askText, StanceBadge } from './campaigns-ui.tsx';

/** A cell: its history as the reader may see it (newest first, each with its evidence) and the form to record a stance. */
export function CellDialog(props: { campaign: CampaignDetail; target: CampaignTarget; ask: CampaignAsk; canWrite: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { campaign, target, ask } = props;
  const history = useQuery({ queryKey: campaignKeys.history(campaign.id, target.id, ask.id), queryFn: () => campaignsApi.history(campaign.id, target.id, ask.id) });
  const a = askText(ask, i18n.language);
  return (
    <Dialog opened onClose={props.onClose} size="xl" title={t('campaign.history.title', { target: isolate(target.name), ask: isolate(a.text) })}>
      <Stack gap="md">
        <ErrorAlert error={history.error} />
        {history.data && !history.data.items.length && <Text>{t('campaign.history.empty')}</Text>}
        <Stack gap="sm" component="ol" style={{ listStyle: 'none', paddingInlineStart: 0, margin: 0 }} data-testid="cell-history">
          {history.data?.items.map((s) => (
            <li key={s.id}>
              <StanceEntry stance={s} campaign={campaign} />
            </li>
          ))}
        </Stack>
        {props.canWrite && (
          <>
            <Divider />
            <RecordStance campaign={campaign} target={target} ask={ask} />
          </>
        )}
      </Stack>
    </Dialog>
  );
}

/** One stance with the day it held, who recorded it, and its evidence. */
export function StanceEntry({ stance: s, campaign }: { stance: Stance; campaign: CampaignDetail }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const lang = i18n.language;
  const docs = useQuery({ queryKey: campaignKeys.documents(campaign.id), queryFn: () => campaignsApi.documents(campaign.id), enabled: s.evidence.kind === 'document_passage' });
  const passage = docs.data?.items.flatMap((d) => d.passages.map((p) => ({ ...p, title: d.title }))).find((p) => p.id === s.evidence.passageId);
  return (
    <Stack gap={4} p="sm" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6 }} data-testid="stance-entry">
      <Group gap="sm">
        <StanceBadge value={s.value} />
        <Text size="sm">{t('campaign.history.asOf', { day: formatDay(s.asOf, lang) })}</Text>
        <Text size="sm" c="dimmed">
          {t('campaign.history.recordedBy', { name: s.recordedByName ?? '—', day: formatDate(s.recordedAt, lang, timeZone) })}
        </Text>
      </Group>
      <Text size="sm" fw={600}>
        {t(`campaign.evidence.${s.evidence.kind}`)}
      </Text>
      {s.evidence.kind === 'meeting' && s.evidence.meetingId && (
        <RouterAnchor to="/meetings/$id" params={{ id: s.evidence.meetingId }} size="sm">
          <bdi>{s.evidence.meetingTitle}</bdi>
        </RouterAnchor>
      )}
      {s.evidence.kind === 'statement' && (
        <>
          <Blockquote p="xs" dir="auto">
            {s.evidence.quote}
          </Blockquote>
          <Anchor href={s.evidence.url ?? undefined} size="sm" dir="ltr" rel="noreferrer noopener" target="_blank">
            {s.evidence.url}
          </Anchor>
        </>
      )}
      {s.evidence.kind === 'document_passage' && passage && (
        <>
          <Text size="sm">
            <bdi>{passage.title}</bdi>
            {passage.locator && <> · <bdi>{passage.locator}</bdi></>}
          </Text>
          <Blockquote p="xs" dir="auto">
            {passage.quote}
          </Blockquote>
        </>
      )}
      {s.evidence.kind === 'judgement' && (
        <Text size="sm" dir="auto">
          {s.evidence.reason}
        </Text>
      )}
      {s.note && (
        <Text size="sm" c="dimmed" dir="auto">
          {t('campaign.history.note')}: {s.note}
        </Text>
      )}
    </Stack>
  );
}

/** Meetings the reader may see: those tagged with the campaign first, then any found by title. */
export function MeetingPicker(props: { campaignId: string; value: string | null; onChange: (id: string | null) => void; error?: string; label: string }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const tagged = useQuery({ queryKey: campaignKeys.meetings(props.campaignId), queryFn: () => campaignsApi.meetings(props.campaignId) });
  const found = useQuery({ queryKey: ['campaign-meeting-picker', q], queryFn: () => meetingsApi.meetings({ q: q || undefined }, undefined, 20), staleTime: 30_000 });
  const label = (title: string, startsAt: string) => `${title} · ${formatDate(startsAt, i18n.language, timeZone)}`;
  const options = new Map<string, string>();
  for (const m of tagged.data?.items ?? []) options.set(m.meetingId, label(m.title, m.startsAt));
  for (const m of found.data?.items ?? []) if (!options.has(m.id)) options.set(m.id, label(m.title, m.startsAt));
  const data = [...options].map(([value, l]) => ({ value, label: l }));
  return (
    <Select
      label={props.label}
      placeholder={t('campaign.evidence.meetingSearch')}
      data={data}
      value={props.value}
      onChange={props.onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('common.loading') : t('common.nothingFound')}
      error={props.error}
      clearable
      comboboxProps={{ withinPortal: true }}
      data-testid="evidence-meeting"
    />
  );
}

function RecordStance(props: { campaign: CampaignDetail; target: CampaignTarget; ask: CampaignAsk }) {
  const { t } = useTranslation();
  const { timeZone } = useMe();
  const queryClient = useQueryClient();
  const { campaign, target, ask } = props;
  const [value, setValue] = useState<StanceValue>('neutral');
  const [asOf, setAsOf] = useState(todayIn(timeZone));
  const [kind, setKind] = useState<EvidenceKind>('meeting');
  const [meetingId, setMeetingId] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [quote, setQuote] = useState('');
  const [passageId, setPassageId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const docs = useQuery({ queryKey: campaignKeys.documents(campaign.id), queryFn: () => campaignsApi.documents(campaign.id) });
  const passages = (docs.data?.items ?? []).flatMap((d) => d.passages.map((p) => ({ value: p.id, label: `${d.title}${p.locator ? ` · ${p.locator}` : ''}: ${p.quote.slice(0, 80)}` })));
  const evidence = () => {
    switch (kind) {
      case 'meeting':
        return { kind, meetingId: meetingId ?? '' };
      case 'statement':
        return { kind, url, quote };
      case 'document_passage':
        return { kind, passageId: passageId ?? '' };
      default:
        return { kind: 'judgement' as const, reason };
    }
  };
  const record = useMutation({
    mutationFn: () => campaignsApi.recordStance(campaign.id, { targetId: target.id, askId: ask.id, value, asOf, evidence: evidence(), note: note.trim() || null }),
    onSuccess: async () => {
      setNote('');
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  const err = (f: string) => fieldError(t, record.error, f);
  return (
    <form onSubmit={submit} noValidate data-testid="record-stance">
      <Stack gap="sm">
        <Title order={3} fz="h4">
          {t('campaign.record.title')}
        </Title>
        <ErrorAlert error={record.error} />
        <Group grow align="flex-start" wrap="wrap">
          <Select
            label={t('campaign.record.value')}
            data={STANCE_VALUES.map((v) => ({ value: v, label: t(`campaign.stance.${v}`) }))}
            value={value}
            onChange={(v) => v && setValue(v as StanceValue)}
            allowDeselect={false}
            error={err('value')}
            comboboxProps={{ withinPortal: true }}
            data-testid="stance-value"
          />
          <TextInput type="date" label={t('campaign.record.asOf')} value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} error={err('asOf')} />
        </Group>
        <Radio.Group label={t('campaign.evidence.label')} value={kind} onChange={(v) => setKind(v as EvidenceKind)}>
          <Group gap="md" mt={4}>
            {EVIDENCE_KINDS.map((k) => (
              <Radio key={k} value={k} label={t(`campaign.evidence.${k}`)} />
            ))}
          </Group>
        </Radio.Group>
        {kind === 'meeting' && <MeetingPicker campaignId={campaign.id} label={t('campaign.evidence.meetingPick')} value={meetingId} onChange={setMeetingId} error={err('evidence.meetingId')} />}
        {kind === 'statement' && (
          <>
            <TextInput type="url" dir="ltr" label={t('campaign.evidence.url')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={err('evidence.url')} />
            <Textarea label={t('campaign.evidence.quote')} value={quote} onChange={(e) => setQuote(e.currentTarget.value)} autosize minRows={2} dir="auto" error={err('evidence.quote')} />
          </>
        )}
        {kind === 'document_passage' &&
          (passages.length ? (
            <Select label={t('campaign.evidence.passage')} data={passages} value={passageId} onChange={setPassageId} error={err('evidence.passageId')} comboboxProps={{ withinPortal: true }} />
          ) : (
            <Text size="sm">{t('campaign.evidence.noPassages')}</Text>
          ))}
        {kind === 'judgement' && (
          <Textarea label={t('campaign.evidence.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} dir="auto" error={err('evidence.reason')} />
        )}
        <Textarea label={t('campaign.record.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={1} dir="auto" error={err('note')} />
        <Group>
          <Button type="submit" loading={record.isPending}>
            {t('campaign.record.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

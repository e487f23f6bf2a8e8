import { Button, Group, List, Radio, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { useMe } from '../dialogues/dialogues-ui.tsx';
import { request, type Page } from '../../api.ts';
import { postKeys, updatesApi, type DataDraft, type DataSourceKind } from './updates.api.ts';

const KINDS: DataSourceKind[] = ['period', 'trip', 'event', 'campaign'];
type Named = { id: string; name: string | Record<string, string | undefined>; title?: Record<string, string | undefined> };
const LISTS: Record<Exclude<DataSourceKind, 'period'>, string> = { trip: '/trips', event: '/events?limit=100', campaign: '/campaigns' };

function pick(v: string | Record<string, string | undefined> | undefined, lang: string): string {
  if (!v) return '';
  if (typeof v === 'string') return v;
  return v[lang] ?? v.en ?? Object.values(v).find(Boolean) ?? '';
}

/**
 * "Draft from data": choose a period (optionally some cities), a trip, an event or a campaign; the server writes a
 * draft in three languages with figures counted as a staff member with no need-to-know grants sees them.
 */
export function PostFromDataPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<DataSourceKind>('period');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [cities, setCities] = useState('');
  const [id, setId] = useState<string | null>(null);
  const options = useQuery({
    queryKey: ['posts', 'from-data', kind],
    enabled: kind !== 'period',
    queryFn: () => request<Page<Named> | { items: Named[] }>('GET', LISTS[kind as Exclude<DataSourceKind, 'period'>]),
  });
  const draft = useMutation({
    mutationFn: () => {
      const list = cities
        .split(/[,،]/)
        .map((c) => c.trim())
        .filter(Boolean);
      return updatesApi.draftFromData(kind === 'period' ? { kind, from, to, ...(list.length ? { cities: list } : {}) } : { kind, id: id ?? '' });
    },
    onSuccess: async (p) => {
      await queryClient.invalidateQueries({ queryKey: postKeys.all });
      await navigate({ to: '/updates/$id', params: { id: p.id } });
    },
  });
  const err = (field: string) => fieldError(t, draft.error, `source.${field}`);
  return (
    <Stack gap="lg" maw={720}>
      <div>
        <Title order={1}>{t('updates.staff.fromData.title')}</Title>
        <Text c="dimmed">{t('updates.staff.fromData.intro')}</Text>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          draft.mutate();
        }}
      >
        <Stack gap="md">
          <Radio.Group label={t('updates.staff.fromData.source')} value={kind} onChange={(v) => (setKind(v as DataSourceKind), setId(null))}>
            <Group gap="md" mt="xs">
              {KINDS.map((k) => (
                <Radio key={k} value={k} label={t(`updates.staff.fromData.sources.${k}`)} />
              ))}
            </Group>
          </Radio.Group>
          {kind === 'period' ? (
            <>
              <Group grow align="flex-start" wrap="wrap">
                <TextInput type="date" label={t('updates.staff.fromData.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} required error={err('from')} miw={160} />
                <TextInput type="date" label={t('updates.staff.fromData.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} required error={err('to')} miw={160} />
              </Group>
              <TextInput
                label={t('updates.staff.fromData.cities')}
                description={t('updates.staff.fromData.citiesHint')}
                value={cities}
                onChange={(e) => setCities(e.currentTarget.value)}
                dir="auto"
                error={err('cities')}
              />
            </>
          ) : (
            <Select
              label={t(`updates.staff.fromData.sources.${kind}`)}
              placeholder={t('updates.staff.fromData.pick')}
              nothingFoundMessage={t('updates.staff.fromData.none')}
              searchable
              required
              value={id}
              onChange={setId}
              data={(options.data?.items ?? []).map((o) => ({ value: o.id, label: pick(o.title ?? o.name, i18n.language) }))}
              error={err('id')}
            />
          )}
          <ErrorAlert error={draft.error} />
          <Group>
            <Button type="submit" loading={draft.isPending}>
              {t('updates.staff.fromData.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

/** links in a dense list: at least 24 px tall (WCAG 2.2 target size) */
const TARGET = { display: 'inline-block', minBlockSize: 24, paddingBlock: 2 } as const;

const RECORD_LINK: Record<string, string> = { meeting: '/network/meetings/$id', organisation: '/network/organisations/$id', event: '/events/$id', dialogue: '/research/dialogues/$id' };

/** The figures of a post drafted from data, each with the records it counts (links for staff; never published). */
export function DataDraftPanel({ data }: { data: DataDraft }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const lang = i18n.language;
  const about = (f: DataDraft['figures'][number]) => {
    if (!f.about) return null;
    if (f.key === 'meetings_by_kind') return t(`meeting.kinds.${f.about}`, { defaultValue: f.about });
    if (f.key.startsWith('event_') || f.key === 'dialogue_participants') return f.records[0]?.label ?? null;
    return f.about;
  };
  return (
    <Stack gap="xs" data-testid="data-draft">
      <Title order={2} size="h3">
        {t('updates.staff.fromData.figures')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('updates.staff.fromData.figuresIntro', { date: formatDateTime(data.computedAt, lang, timeZone) })}
      </Text>
      <Text size="sm">{t(`updates.staff.fromData.wording.${data.wording}`, { reason: data.aiProblem ?? '' })}</Text>
      <List spacing={4} size="sm" listStyleType="none">
        {data.figures.map((f, i) => {
          const a = about(f);
          return (
            <List.Item key={`${f.key}-${f.about ?? ''}-${i}`} data-testid="figure">
              <details>
                <summary>
                  {t(`updates.staff.fromData.key.${f.key}`, { defaultValue: f.key })}
                  {a ? (
                    <>
                      {' '}
                      (<bdi>{a}</bdi>)
                    </>
                  ) : null}
                  : <strong>{formatNumber(f.value, lang)}</strong>
                </summary>
                <List size="sm" withPadding spacing={4} mt={4}>
                  {f.records.map((r) => (
                    <List.Item key={r.id}>
                      {RECORD_LINK[r.type] ? (
                        <RouterAnchor to={RECORD_LINK[r.type] as never} params={{ id: r.id } as never} style={TARGET}>
                          <bdi>{r.label}</bdi>
                        </RouterAnchor>
                      ) : data.source.kind === 'campaign' && data.source.id ? (
                        <RouterAnchor to="/campaigns/$id" params={{ id: data.source.id }} style={TARGET}>
                          <bdi>{r.label}</bdi>
                        </RouterAnchor>
                      ) : (
                        <bdi>{r.label}</bdi>
                      )}
                    </List.Item>
                  ))}
                </List>
              </details>
            </List.Item>
          );
        })}
      </List>
    </Stack>
  );
}

import { Alert, Button, Checkbox, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconCalendarShare, IconDownload, IconFilter, IconPlus, IconX } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, fieldError } from '../../components/errors.ts';
import { RouterAnchor, RouterButton } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatNumber, timeZoneLabel } from '../../format.ts';
import { formatSpan, LockBadge, placeTimeText, topicName, useTopics, useViewer } from './meeting-parts.tsx';
import { MEETING_KINDS, meetingsApi, meetingsCsvUrl, type MeetingFilter } from './meetings.api.ts';
import type { MeetingsSearch } from './meetings.search.ts';
import { nameForReader } from '../network/reader-name.ts';
import { RemoteSelect } from './pickers.tsx';
import { WeekCalendar } from './week-calendar.tsx';
import { addDays, zonedToUtc } from './zoned-time.ts';

type Draft = { kind: string; city: string; topicId: string; organisationId: string; from: string; to: string };
const empty: Draft = { kind: '', city: '', topicId: '', organisationId: '', from: '', to: '' };

export function MeetingsPage() {
  const { t } = useTranslation();
  const search = useSearch({ strict: false }) as MeetingsSearch;
  const navigate = useNavigate();
  const { canWrite } = useViewer();
  const view = search.view ?? 'list';
  const go = (next: MeetingsSearch) => void navigate({ to: '/network/meetings', search: { ...search, ...next } as never });

  return (
    <Stack gap="lg" maw={1400}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1}>{t('meeting.listTitle')}</Title>
          <Text mt={4}>{t('meeting.listIntro')}</Text>
        </div>
        <Group gap="xs">
          {/* the page that gives a private calendar address for these meetings */}
          <RouterButton to="/network/calendar" variant="default" leftSection={<IconCalendarShare size={16} aria-hidden />}>
            {t('calendar.title')}
          </RouterButton>
          {canWrite && (
            <RouterButton to="/network/meetings/new" leftSection={<IconPlus size={16} aria-hidden />}>
              {t('meeting.record')}
            </RouterButton>
          )}
        </Group>
      </Group>
      <SegmentedControl
        aria-label={t('meeting.viewLabel')}
        value={view}
        onChange={(v) => go({ view: v as 'list' | 'week' })}
        data={[
          { value: 'list', label: t('meeting.viewList') },
          { value: 'week', label: t('meeting.viewWeek') },
        ]}
        w="fit-content"
      />
      {view === 'week' ? <WeekCalendar week={search.week} onWeek={(week) => go({ view: 'week', week })} /> : <MeetingList />}
    </Stack>
  );
}

function MeetingList() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { timeZone } = useViewer();
  const topics = useTopics();
  const [draft, setDraft] = useState<Draft>(empty);
  const [orgNames, setOrgNames] = useState<Record<string, string>>({});
  const [filter, setFilter] = useState<MeetingFilter>({});
  const [bom, setBom] = useState(true);

  const meetings = useInfiniteQuery({
    queryKey: ['meetings', 'list', filter],
    queryFn: ({ pageParam }) => meetingsApi.meetings(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = meetings.data?.pages.flatMap((p) => p.items) ?? [];
  const total = meetings.data?.pages[0]?.total;

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter({
      kind: draft.kind || undefined,
      city: draft.city.trim() || undefined,
      topicId: draft.topicId || undefined,
      organisationId: draft.organisationId || undefined,
      // whole days in the viewer's zone; "until" includes its day
      from: draft.from ? (zonedToUtc(`${draft.from}T00:00`, timeZone) ?? undefined) : undefined,
      to: draft.to ? (zonedToUtc(`${addDays(draft.to, 1)}T00:00`, timeZone) ?? undefined) : undefined,
    });
  };
  const clear = () => {
    setDraft(empty);
    setFilter({});
  };
  const set = (k: keyof Draft) => (v: string | null) => setDraft((d) => ({ ...d, [k]: v ?? '' }));
  const topicOptions = (topics.data?.items ?? []).map((tp) => ({ value: tp.id, label: topicName(tp, lang) }));

  return (
    <>
      <Paper withBorder p="lg" component="section" aria-labelledby="meeting-filters">
        <Title order={2} fz="h4" mb="sm" id="meeting-filters">
          {t('meeting.filters')}
        </Title>
        <form onSubmit={apply}>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <Select
              label={t('meeting.fields.kind')}
              placeholder={t('meeting.anyKind')}
              data={MEETING_KINDS.map((k) => ({ value: k, label: t(`meeting.kinds.${k}`) }))}
              value={draft.kind || null}
              onChange={set('kind')}
              clearable
            />
            <TextInput label={t('meeting.fields.city')} value={draft.city} onChange={(e) => set('city')(e.currentTarget.value)} dir="auto" />
            <Select
              label={t('meeting.fields.topic')}
              placeholder={t('meeting.anyTopic')}
              data={topicOptions}
              value={draft.topicId || null}
              onChange={set('topicId')}
              clearable
              searchable
              nothingFoundMessage={t('common.nothingFound')}
            />
            <RemoteSelect
              kind="organisations"
              label={t('meeting.fields.organisation')}
              value={draft.organisationId || null}
              known={orgNames}
              onChange={(id, label) => {
                set('organisationId')(id);
                if (id && label) setOrgNames((n) => ({ ...n, [id]: label }));
              }}
            />
            <TextInput
              label={t('meeting.from')}
              type="date"
              value={draft.from}
              onChange={(e) => set('from')(e.currentTarget.value)}
              description={timeZoneLabel(timeZone, lang)}
              error={fieldError(t, meetings.error, 'from')}
            />
            <TextInput
              label={t('meeting.to')}
              type="date"
              value={draft.to}
              onChange={(e) => set('to')(e.currentTarget.value)}
              description={t('meeting.rangeHint')}
              error={fieldError(t, meetings.error, 'to')}
            />
          </SimpleGrid>
          <Group mt="md" justify="space-between" wrap="wrap">
            <Group gap="xs">
              <Button type="submit" leftSection={<IconFilter size={16} aria-hidden />}>
                {t('meeting.apply')}
              </Button>
              <Button variant="default" onClick={clear} leftSection={<IconX size={16} aria-hidden />}>
                {t('meeting.clear')}
              </Button>
            </Group>
            <Group gap="sm">
              <Checkbox label={t('meeting.bom')} checked={bom} onChange={(e) => setBom(e.currentTarget.checked)} />
              <Button component="a" href={meetingsCsvUrl(filter, bom)} download variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
                {t('meeting.exportCsv')}
              </Button>
            </Group>
          </Group>
        </form>
      </Paper>

      <Paper withBorder p="lg" component="section" aria-labelledby="meeting-results">
        <Group justify="space-between" mb="sm">
          <Title order={2} fz="h4" id="meeting-results">
            {t('meeting.results')}
          </Title>
          {total !== undefined && (
            <Text size="sm" c="dimmed" aria-live="polite">
              {t('meeting.shown', { n: formatNumber(rows.length, lang), total: formatNumber(total, lang), zone: timeZoneLabel(timeZone, lang) })}
            </Text>
          )}
        </Group>
        {meetings.isError && <Alert color="red">{errorMessage(t, meetings.error)}</Alert>}
        {meetings.isSuccess && rows.length === 0 ? (
          <Text c="dimmed">{t('meeting.none')}</Text>
        ) : (
          <ScrollTable label={t('meeting.results')} minWidth={900}>
            <Table verticalSpacing="sm" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('meeting.fields.when')}</Table.Th>
                  <Table.Th>{t('meeting.fields.title')}</Table.Th>
                  <Table.Th>{t('meeting.fields.kind')}</Table.Th>
                  <Table.Th>{t('meeting.fields.place')}</Table.Th>
                  <Table.Th>{t('meeting.fields.organisations')}</Table.Th>
                  <Table.Th>{t('meeting.fields.topics')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((m) => {
                  const local = placeTimeText(t, m, lang, timeZone);
                  return (
                    <Table.Tr key={m.id}>
                      <Table.Td>
                        {formatSpan(m.startsAt, m.endsAt, lang, timeZone)}
                        {local && (
                          <Text size="xs" c="dimmed">
                            {local}
                          </Text>
                        )}
                      </Table.Td>
                      {/* the title wraps within its column: a Hebrew or Arabic title is never cut at its start */}
                      <Table.Td miw={200} data-testid="meeting-title-cell">
                        <RouterAnchor to="/network/meetings/$id" params={{ id: m.id }} fw={600} style={{ overflowWrap: 'anywhere' }}>
                          <bdi>{m.title}</bdi>
                        </RouterAnchor>
                        {m.restricted && (
                          <>
                            {' '}
                            <LockBadge />
                          </>
                        )}
                      </Table.Td>
                      <Table.Td>{t(`meeting.kinds.${m.kind}`)}</Table.Td>
                      <Table.Td>
                        {m.online ? t('meeting.online') : <bdi>{[m.city, m.venue].filter(Boolean).join(', ')}</bdi>}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {/* more than three: the first two and a count */}
                          {(m.organisations.length > 3 ? m.organisations.slice(0, 2) : m.organisations).map((o, i) => (
                            <span key={o.organisationId}>
                              {i > 0 && ', '}
                              <bdi>{nameForReader(o, lang)}</bdi>
                            </span>
                          ))}
                          {m.organisations.length > 3 && <> {t('meeting.andMore', { n: formatNumber(m.organisations.length - 2, lang) })}</>}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {m.topics.map((tp, i) => (
                            <span key={i}>
                              {i > 0 && ' · '}
                              <bdi>{topicName(tp, lang)}</bdi>
                            </span>
                          ))}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
        {meetings.hasNextPage && (
          <Group justify="center" mt="md">
            <Button variant="light" onClick={() => void meetings.fetchNextPage()} loading={meetings.isFetchingNextPage}>
              {t('meeting.loadMore')}
            </Button>
          </Group>
        )}
      </Paper>
    </>
  );
}

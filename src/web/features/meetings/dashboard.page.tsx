import { Alert, Badge, Group, Loader, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDayRange, formatDayShort, formatNumber, intlLocale, timeZoneLabel } from '../../format.ts';
import { organisationNameForReader } from '../network/reader-name.ts';
import { topicName, useViewer } from './meeting-parts.tsx';
import { meetingsApi, type Dashboard } from './meetings.api.ts';
import classes from './meetings.module.css';
import { addDays, startOfWeek, weekStartDay, zonedDate } from './zoned-time.ts';

type Period = 'week' | 'month' | 'quarter' | 'custom';

/** The days of a period around today, both ends included, in the viewer's zone. */
export function periodRange(period: Exclude<Period, 'custom'>, today: string, lang: string): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const day = (yy: number, mm: number, dd: number) => new Date(Date.UTC(yy, mm - 1, dd)).toISOString().slice(0, 10);
  if (period === 'week') {
    const from = startOfWeek(today, weekStartDay(lang));
    return { from, to: addDays(from, 6) };
  }
  if (period === 'month') return { from: day(y, m, 1), to: day(y, m + 1, 0) };
  const q = Math.floor((m - 1) / 3) * 3 + 1;
  return { from: day(y, q, 1), to: day(y, q + 3, 0) };
}

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { timeZone } = useViewer();
  const phone = useMediaQuery('(max-width: 30em)', false, { getInitialValueInEffect: false });
  const today = zonedDate(Date.now(), timeZone);
  const [period, setPeriod] = useState<Period>('month');
  const [custom, setCustom] = useState(() => ({ from: addDays(today, -29), to: today }));
  const range = period === 'custom' ? custom : periodRange(period, today, lang);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(range.from) && /^\d{4}-\d{2}-\d{2}$/.test(range.to) && range.from <= range.to;
  const [citiesText, setCitiesText] = useState('');
  const cities = [...new Set(citiesText.split(/[,،]/).map((c) => c.trim()).filter(Boolean))].slice(0, 20);

  const data = useQuery({ queryKey: ['dashboard', range.from, range.to, ...cities], queryFn: () => meetingsApi.dashboard(range.from, range.to, cities), enabled: valid });
  const periodText =
    period === 'custom'
      ? t('dashboard.phrase.custom', { range: valid ? formatDayRange(range.from, range.to, lang) : '' })
      : t(`dashboard.phrase.${period}`);

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1}>{t('dashboard.title')}</Title>
        <Text mt={4}>{t('dashboard.intro', { zone: timeZoneLabel(timeZone, lang) })}</Text>
      </div>
      <Paper withBorder p="md">
        <Group align="flex-end" wrap="wrap">
          <SegmentedControl
            // four periods side by side are wider than a phone: one under the other there
            orientation={phone ? 'vertical' : 'horizontal'}
            fullWidth={phone}
            aria-label={t('dashboard.period')}
            value={period}
            onChange={(v) => setPeriod(v as Period)}
            data={(['week', 'month', 'quarter', 'custom'] as const).map((p) => ({ value: p, label: t(`dashboard.periods.${p}`) }))}
          />
          {period === 'custom' && (
            <>
              <TextInput label={t('meeting.from')} type="date" value={custom.from} onChange={(e) => { const v = e.currentTarget.value; setCustom((c) => ({ ...c, from: v })); }} error={valid ? undefined : t('dashboard.badRange')} />
              <TextInput label={t('meeting.to')} type="date" value={custom.to} onChange={(e) => { const v = e.currentTarget.value; setCustom((c) => ({ ...c, to: v })); }} />
            </>
          )}
          <TextInput label={t('dashboard.cities')} description={t('dashboard.citiesHint')} value={citiesText} onChange={(e) => setCitiesText(e.currentTarget.value)} dir="auto" miw={240} />
        </Group>
        {valid && (
          <Text size="sm" c="dimmed" mt="xs">
            {formatDayRange(range.from, range.to, lang)}
          </Text>
        )}
      </Paper>
      {data.isError && <Alert color="red">{errorMessage(t, data.error)}</Alert>}
      {data.isPending && valid && <Loader role="status" aria-label={t('common.loading')} />}
      {data.data && <Figures d={data.data} periodText={periodText} />}
    </Stack>
  );
}

function Figures({ d, periodText }: { d: Dashboard; periodText: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const n = (v: number) => formatNumber(v, lang);
  const byKind = d.meetings.byKind.map((k) => ({ key: k.kind, label: t(`meeting.kinds.${k.kind}`, { defaultValue: k.kind }), count: k.count }));
  const byCity = d.meetings.byCity.map((c) => ({ key: c.city ?? '—', label: c.city ?? t('dashboard.noCity'), count: c.count, typed: !!c.city }));
  const byTopic = d.meetings.byTopic.map((tp) => ({ key: tp.topicId ?? '—', label: tp.topicId ? topicName(tp as never, lang) : t('dashboard.noTopic'), count: tp.count }));

  // open concerns: one row per topic, one column per week
  const weeks = [...new Set(d.openConcernsByWeek.map((w) => w.weekStart))].sort();
  const topics = new Map<string, { label: string; counts: Map<string, number> }>();
  for (const w of d.openConcernsByWeek) {
    const key = w.topicId ?? '—';
    if (!topics.has(key)) topics.set(key, { label: w.topicId ? topicName(w as never, lang) : t('dashboard.noTopic'), counts: new Map() });
    const row = topics.get(key)!;
    row.counts.set(w.weekStart, (row.counts.get(w.weekStart) ?? 0) + w.count);
  }

  return (
    <>
      <Paper withBorder p="lg" component="section" aria-labelledby="headline">
        <Title order={2} fz="h3" id="headline" mb="xs">
          {t('dashboard.headline')}
        </Title>
        <Text fz="xl" fw={600} data-testid="met-sentence">
          {t('dashboard.metSentence', { count: d.memberOrganisationsMet, n: n(d.memberOrganisationsMet), period: periodText })}
        </Text>
        <Text mt="xs">
          {t('dashboard.meetingsCount', { count: d.meetings.total, n: n(d.meetings.total) })}
          {d.meetings.total > 0 && <> {t('dashboard.organisationsMet', { count: d.organisationsMet, n: n(d.organisationsMet) })}</>}
        </Text>
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <BarList id="by-kind" title={t('dashboard.byKind')} rows={byKind} />
        <BarList id="by-city" title={t('dashboard.byCity')} rows={byCity} />
        <BarList id="by-topic" title={t('dashboard.byTopic')} rows={byTopic} />
      </SimpleGrid>
      <Paper withBorder p="lg" component="section" aria-labelledby="concerns">
        <Title order={2} fz="h3" id="concerns" mb="xs">
          {t('dashboard.openConcerns')}
        </Title>
        <Text size="sm" mb="sm">
          {t('dashboard.openConcernsIntro')}
        </Text>
        {topics.size === 0 ? (
          <Text c="dimmed">{t('dashboard.noConcerns')}</Text>
        ) : (
          <ScrollTable label={t('dashboard.openConcerns')} minWidth={200 + weeks.length * 90}>
            <Table withTableBorder withColumnBorders>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('meeting.fields.topic')}</Table.Th>
                  {weeks.map((w) => (
                    <Table.Th key={w} scope="col">
                      {t('dashboard.weekOf', { date: formatDayShort(w, lang) })}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...topics.entries()].map(([key, row]) => (
                  <Table.Tr key={key}>
                    <Table.Th scope="row" fw={500}>
                      {row.label}
                    </Table.Th>
                    {weeks.map((w) => (
                      <Table.Td key={w}>{row.counts.get(w) ? n(row.counts.get(w)!) : '—'}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </Paper>
      <Paper withBorder p="lg" component="section" aria-labelledby="overdue">
        <Group gap="xs" mb="sm">
          <Title order={2} fz="h3" id="overdue">
            {t('dashboard.overdue')}
          </Title>
          <Badge color={d.overdueFollowUps.count ? 'red' : 'teal'} variant="light">
            {n(d.overdueFollowUps.count)}
          </Badge>
        </Group>
        {d.overdueFollowUps.items.length === 0 ? (
          <Text c="dimmed">{t('dashboard.noOverdue')}</Text>
        ) : (
          <ScrollTable label={t('dashboard.overdue')} minWidth={640}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('followUp.fields.title')}</Table.Th>
                  <Table.Th>{t('followUp.fields.owner')}</Table.Th>
                  <Table.Th>{t('meeting.fields.organisation')}</Table.Th>
                  <Table.Th>{t('dashboard.daysOverdue')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.overdueFollowUps.items.map((f) => (
                  <Table.Tr key={f.id}>
                    <Table.Td>
                      {f.meetingId ? (
                        <RouterAnchor to="/network/meetings/$id" params={{ id: f.meetingId }}>
                          <bdi>{f.title}</bdi>
                        </RouterAnchor>
                      ) : (
                        <bdi>{f.title}</bdi>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <bdi>{f.ownerName ?? '—'}</bdi>
                    </Table.Td>
                    <Table.Td>
                      <bdi>{organisationNameForReader(f, lang) ?? '—'}</bdi>
                    </Table.Td>
                    <Table.Td>{n(f.daysOverdue)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
        <Text size="sm" mt="sm">
          <RouterAnchor to="/network/follow-ups">{t('dashboard.toFollowUps')}</RouterAnchor>
        </Text>
      </Paper>
    </>
  );
}

/** Counts as a table a screen reader reads as numbers; the bars beside them are decoration. */
function BarList(props: { id: string; title: string; rows: { key: string; label: string; count: number; typed?: boolean }[] }) {
  const { t, i18n } = useTranslation();
  const max = Math.max(1, ...props.rows.map((r) => r.count));
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={props.id}>
      <Title order={2} fz="h4" id={props.id} mb="sm">
        {props.title}
      </Title>
      {props.rows.length === 0 ? (
        <Text c="dimmed">{t('dashboard.noMeetings')}</Text>
      ) : (
        <Table verticalSpacing={4} horizontalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dashboard.item')}</Table.Th>
              <Table.Th scope="col">{t('dashboard.count')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.rows.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Td>{r.typed ? <bdi>{r.label}</bdi> : r.label}</Table.Td>
                <Table.Td w="60%">
                  <Group gap="xs" wrap="nowrap">
                    <Text span size="sm" miw={36}>
                      {formatNumber(r.count, i18n.language)}
                    </Text>
                    <div className={classes.barTrack} aria-hidden>
                      <div className={classes.bar} style={{ inlineSize: `${(r.count / max) * 100}%` }} />
                    </div>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

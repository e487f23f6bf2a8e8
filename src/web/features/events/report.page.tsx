import { Button, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { RouterAnchor } from '../../components/links.tsx';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDay, formatNumber } from '../../format.ts';
import { formatPercent, pickText, useMe } from '../dialogues/dialogues-ui.tsx';
import { eventKeys, eventsApi } from './events.api.ts';
import { reportKeys, reportsApi, type EventReport, type ReportFigures } from './reports.api.ts';

// An event's report: figures, registrations by day (a chart, and the same figures in a table), by ticket type and
// by co-host (each leading to what that co-host sees), and the CSV downloads: figures for everyone, registrations
// with contacts for staff and admins.

const FIGURES = ['registrations', 'tickets', 'cancelled', 'attended', 'noShows', 'attendanceRate', 'waitlistJoined', 'waitlistAccepted', 'waitlistConversion'] as const;

export function FigureGrid({ figures }: { figures: ReportFigures }) {
  const { t, i18n } = useTranslation();
  const show = (k: (typeof FIGURES)[number]) => {
    const v = figures[k];
    if (v === null) return '—';
    return k === 'attendanceRate' || k === 'waitlistConversion' ? formatPercent(v, i18n.language, 1) : formatNumber(v, i18n.language);
  };
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }}>
      {FIGURES.map((k) => (
        <div key={k}>
          <Text size="sm" c="dimmed">
            {t(`events.cohost.figures.${k}`)}
          </Text>
          <Text fw={700} size="xl" data-testid={`figure-${k}`}>
            {show(k)}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}

/** Registrations per day as bars (SVG, drawn from the inline start), labelled in words for screen readers. */
export function DailyChart({ report }: { report: EventReport }) {
  const { t, i18n } = useTranslation();
  const days = perDay(report);
  if (!days.length) return <Text c="dimmed">{t('events.cohost.none')}</Text>;
  const rtl = i18n.language === 'he' || i18n.language === 'ar';
  const most = Math.max(1, ...days.map(([, n]) => n));
  // a bar of 24 units a day, drawn at its size (and shrunk to fit the page, keeping its shape)
  const bw = 24;
  const W = days.length * bw;
  const H = 120;
  const total = days.reduce((s, [, n]) => s + n, 0);
  const label = t('events.staff.report.chartLabel', { days: formatNumber(days.length, i18n.language), total: formatNumber(total, i18n.language), most: formatNumber(most, i18n.language) });
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} style={{ maxWidth: '100%', height: 'auto' }} role="img" aria-label={label}>
      <title>{label}</title>
      {days.map(([d, n], i) => {
        const h = (n / most) * (H - 4);
        const x = rtl ? W - (i + 1) * bw : i * bw;
        return <rect key={d} x={x + 1} y={H - h} width={Math.max(1, bw - 2)} height={h} rx={2} fill="var(--mantine-color-teal-6)" />;
      })}
    </svg>
  );
}

function perDay(report: EventReport): [string, number][] {
  const m = new Map<string, number>();
  for (const x of report.overTime) m.set(x.day, (m.get(x.day) ?? 0) + x.registrations);
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function DailyTable({ report }: { report: EventReport }) {
  const { t, i18n } = useTranslation();
  const days = perDay(report);
  let running = 0;
  return (
    <ScrollTable label={t('events.cohost.byDay')} minWidth={320}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('events.cohost.day')}</Table.Th>
            <Table.Th ta="end">{t('events.cohost.figures.registrations')}</Table.Th>
            <Table.Th ta="end">{t('events.staff.report.runningTotal')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {days.map(([d, n]) => {
            running += n;
            return (
              <Table.Tr key={d}>
                <Table.Td>{formatDay(d, i18n.language)}</Table.Td>
                <Table.Td ta="end">{formatNumber(n, i18n.language)}</Table.Td>
                <Table.Td ta="end">{formatNumber(running, i18n.language)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function FiguresTable({ label, rows }: { label: string; rows: { key: string; name: React.ReactNode; f: ReportFigures }[] }) {
  const { t, i18n } = useTranslation();
  const n = (v: number | null) => (v === null ? '—' : formatNumber(v, i18n.language));
  return (
    <ScrollTable label={label} minWidth={720}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{label}</Table.Th>
            {(['registrations', 'tickets', 'cancelled', 'attended', 'noShows', 'waitlistJoined', 'waitlistAccepted'] as const).map((k) => (
              <Table.Th key={k} ta="end">
                {t(`events.cohost.figures.${k}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td ta="end">{n(r.f.registrations)}</Table.Td>
              <Table.Td ta="end">{n(r.f.tickets)}</Table.Td>
              <Table.Td ta="end">{n(r.f.cancelled)}</Table.Td>
              <Table.Td ta="end">{n(r.f.attended)}</Table.Td>
              <Table.Td ta="end">{n(r.f.noShows)}</Table.Td>
              <Table.Td ta="end">{n(r.f.waitlistJoined)}</Table.Td>
              <Table.Td ta="end">{n(r.f.waitlistAccepted)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

export function EventReportPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const event = useQuery({ queryKey: eventKeys.one(id), queryFn: () => eventsApi.get(id) });
  const report = useQuery({ queryKey: reportKeys.report(id), queryFn: () => reportsApi.report(id), refetchInterval: 30_000 });
  const e = event.data;
  const r = report.data;
  const title = e ? pickText(e.title, i18n.language) : null;
  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <RouterAnchor to="/events/$id" params={{ id }} size="sm">
          {title ? <bdi lang={title.language}>{title.text}</bdi> : t('events.staff.report.back')}
        </RouterAnchor>
        <Title order={1}>{t('events.staff.report.title')}</Title>
      </div>
      <ErrorAlert error={event.error ?? report.error} />
      {r && (
        <>
          <Panel id="report-figures" title={t('events.staff.report.figures')}>
            <Stack gap="sm">
              <FigureGrid figures={r.totals} />
              {!r.started && <Text size="sm" c="dimmed">{t('events.staff.report.notStarted')}</Text>}
            </Stack>
          </Panel>
          <Panel id="report-days" title={t('events.cohost.byDay')}>
            <Stack gap="md">
              <DailyChart report={r} />
              <DailyTable report={r} />
            </Stack>
          </Panel>
          <Panel id="report-types" title={t('events.cohost.byType')}>
            <FiguresTable label={t('events.cohost.ticketType')} rows={r.byTicketType.map((x) => ({ key: x.ticketTypeId, name: <bdi>{pickText(x.name, i18n.language).text}</bdi>, f: x }))} />
          </Panel>
          <Panel id="report-cohosts" title={t('events.staff.totals.byCohost')}>
            <FiguresTable
              label={t('events.staff.cohosts.organisation')}
              rows={r.byCohost.map((x) => ({
                key: x.organisationId ?? 'none',
                name: x.organisationId ? (
                  <RouterAnchor to="/events/$id/cohosts/$organisationId" params={{ id, organisationId: x.organisationId }}>
                    <bdi>{x.organisationName}</bdi>
                  </RouterAnchor>
                ) : (
                  t('events.staff.totals.direct')
                ),
                f: x,
              }))}
            />
          </Panel>
          <Panel id="report-downloads" title={t('events.cohost.downloads')}>
            <Group gap="sm">
              <Button component="a" href={reportsApi.reportCsv(id)} variant="default">
                {t('events.cohost.reportCsv')}
              </Button>
              {canWrite && (
                <Button component="a" href={reportsApi.registrationsCsv(id)} variant="default">
                  {t('events.staff.report.registrationsCsv')}
                </Button>
              )}
            </Group>
          </Panel>
        </>
      )}
    </Stack>
  );
}

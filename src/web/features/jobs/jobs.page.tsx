import { Alert, Badge, Button, Group, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconBan, IconRefresh } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable, type RowSource } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { formatDateTimeLong, formatNumber } from '../../format.ts';
import { meQuery } from '../../session.ts';
import { jobsApi, type Job, type JobFilter } from './jobs.api.ts';

// Background jobs (admins): queued, running, failed with their error; try a failed one again or cancel a queued
// one. Refreshed every few seconds while open.

const stateColor: Record<Job['state'], string> = { created: 'indigo', retry: 'orange', active: 'blue', completed: 'teal', cancelled: 'gray', failed: 'red' };
const TABS = ['all', 'queued', 'active', 'failed', 'completed', 'cancelled'] as const;
type Tab = (typeof TABS)[number];

export function JobsPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useQuery(meQuery);
  const tz = me?.timeZone ?? 'UTC';
  const qc = useQueryClient();
  const [tab, setTab] = useState<Tab>('all');
  const [name, setName] = useState<string | null>(null);
  const filter: JobFilter = { state: tab === 'all' ? undefined : tab, name: name ?? undefined };
  const [notice, setNotice] = useState<string | null>(null);

  const jobs = useInfiniteQuery({
    queryKey: ['jobs', filter],
    queryFn: ({ pageParam }) => jobsApi.list(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 5_000,
  });
  const act = useMutation({
    mutationFn: ({ job, action }: { job: Job; action: 'retry' | 'cancel' }) => (action === 'retry' ? jobsApi.retry(job.id) : jobsApi.cancel(job.id)),
    onSuccess: (_, { action }) => {
      setNotice(t(action === 'retry' ? 'jobs.retried' : 'jobs.cancelled'));
      void qc.invalidateQueries({ queryKey: ['jobs'] });
    },
  });

  const first = jobs.data?.pages[0];
  // the list's rows for DataTable; the first page also brings the counts per state and the names of jobs
  const source: RowSource<Job> = {
    rows: jobs.data?.pages.flatMap((p) => p.items),
    pending: jobs.isPending,
    error: jobs.error,
    hasMore: jobs.hasNextPage,
    loadingMore: jobs.isFetchingNextPage,
    loadMore: () => void jobs.fetchNextPage(),
  };
  const rows = source.rows ?? [];
  const counts = first?.counts;
  const countOf = (k: Tab) =>
    !counts ? undefined : k === 'all' ? Object.values(counts).reduce((a, b) => a + b, 0) : k === 'queued' ? counts.created + counts.retry : counts[k];
  const jobName = (n: string) => t(`jobs.names.${n.replace(/\./g, '_')}`, { defaultValue: n });

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1}>{t('jobs.title')}</Title>
        <Text mt={4}>{t('jobs.intro')}</Text>
        <Text mt={4} size="sm" c="dimmed">
          {t('jobs.kept')}
        </Text>
      </div>
      <Group align="flex-end" wrap="wrap">
        <div>
          <Text size="sm" fw={500} mb={4} id="jobs-state">
            {t('jobs.stateFilter')}
          </Text>
          <SegmentedControl
            aria-labelledby="jobs-state"
            value={tab}
            onChange={(v) => setTab(v as Tab)}
            data={TABS.map((k) => {
              const n = countOf(k);
              return { value: k, label: `${t(`jobs.states.${k}`)}${n === undefined ? '' : ` (${formatNumber(n, i18n.language)})`}` };
            })}
          />
        </div>
        <Select
          label={t('jobs.nameFilter')}
          placeholder={t('jobs.anyName')}
          data={(first?.names ?? []).map((n) => ({ value: n, label: jobName(n) }))}
          value={name}
          onChange={setName}
          clearable
          w={280}
        />
      </Group>

      {notice && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <ErrorAlert error={act.error} />
      <section aria-labelledby="jobs-list">
        <Group justify="space-between" mb="xs">
          <Title order={2} fz="h4" id="jobs-list">
            {t(`jobs.states.${tab}`)}
          </Title>
          <Text size="sm" c="dimmed" role="status">
            {t('jobs.shown', { n: formatNumber(rows.length, i18n.language) })}
          </Text>
        </Group>
        <DataTable
          label={t('jobs.title')}
          minWidth={960}
          columns={[
            t('jobs.columns.created'),
            t('jobs.columns.name'),
            t('jobs.columns.subject'),
            t('jobs.columns.state'),
            t('jobs.columns.attempts'),
            t('jobs.columns.error'),
            t('jobs.columns.actions'),
          ]}
          source={source}
          empty={t('jobs.none')}
          table={{ verticalSpacing: 'xs', withTableBorder: true }}
          row={(j) => (
            <Table.Tr key={j.id} data-testid="job-row">
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <time dateTime={j.createdAt}>{formatDateTimeLong(j.createdAt, i18n.language, tz)}</time>
              </Table.Td>
              <Table.Td>{jobName(j.name)}</Table.Td>
              <Table.Td>
                <Text size="sm" dir="auto" style={{ wordBreak: 'break-all' }}>
                  {j.subject ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={stateColor[j.state]} variant="light">
                  {t(`jobs.states.${j.state}`)}
                </Badge>
                {j.state === 'retry' && (
                  <Text size="xs" c="dimmed" mt={2}>
                    {t('jobs.runAfter', { time: formatDateTimeLong(j.runAfter, i18n.language, tz) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{t('jobs.attempts', { n: formatNumber(j.attempts, i18n.language), max: formatNumber(j.maxAttempts, i18n.language) })}</Table.Td>
              <Table.Td>
                {j.error && (
                  <Text size="sm" c="red.8" dir="auto" style={{ wordBreak: 'break-word' }}>
                    {j.error}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {(j.state === 'failed' || j.state === 'cancelled') && (
                  <Button size="xs" variant="light" leftSection={<IconRefresh size={14} aria-hidden />} loading={act.isPending && act.variables?.job.id === j.id} onClick={() => act.mutate({ job: j, action: 'retry' })}>
                    {t('jobs.retry')}
                  </Button>
                )}
                {(j.state === 'created' || j.state === 'retry') && (
                  <Button size="xs" variant="subtle" color="gray" leftSection={<IconBan size={14} aria-hidden />} loading={act.isPending && act.variables?.job.id === j.id} onClick={() => act.mutate({ job: j, action: 'cancel' })}>
                    {t('jobs.cancel')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          )}
        />
      </section>
    </Stack>
  );
}

import { Alert, Badge, Button, Group, Paper, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconCheck, IconDownload } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../../api.ts';
import { errorMessage } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { organisationNameForReader } from '../network/reader-name.ts';
import { useViewer } from './meeting-parts.tsx';
import { FOLLOW_UP_STATUSES, meetingsApi, type FollowUp, type FollowUpFilter } from './meetings.api.ts';
import classes from './meetings.module.css';

export function FollowUpsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { isAdmin, canWrite } = useViewer();
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const [status, setStatus] = useState<string | null>('open');
  const filter: FollowUpFilter = { mine: scope === 'mine' ? true : undefined, status: status ?? undefined };

  const list = useInfiniteQuery({
    queryKey: ['follow-ups', filter],
    queryFn: ({ pageParam }) => meetingsApi.followUps(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  const overdue = rows.filter((f) => f.overdue).length;

  const update = useMutation({
    mutationFn: (f: FollowUp) => meetingsApi.updateFollowUp(f.id, { status: f.status === 'done' ? 'open' : 'done' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['follow-ups'] }),
  });

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1}>{scope === 'mine' ? t('followUp.mine') : t('followUp.all')}</Title>
        <Text mt={4}>{t('followUp.intro')}</Text>
      </div>
      <Paper withBorder p="md">
        <Group align="flex-end" wrap="wrap" justify="space-between">
          <Group align="flex-end" wrap="wrap">
            {isAdmin && (
              <SegmentedControl
                aria-label={t('followUp.scope')}
                value={scope}
                onChange={(v) => setScope(v as 'mine' | 'all')}
                data={[
                  { value: 'mine', label: t('followUp.mine') },
                  { value: 'all', label: t('followUp.all') },
                ]}
              />
            )}
            <Select
              label={t('followUp.fields.status')}
              placeholder={t('followUp.anyStatus')}
              data={FOLLOW_UP_STATUSES.map((s) => ({ value: s, label: t(`followUp.statuses.${s}`) }))}
              value={status}
              onChange={setStatus}
              clearable
              w={200}
            />
          </Group>
          <Button
            component="a"
            href={`/api/exports/follow-ups.csv${query({ mine: scope === 'mine' ? 'true' : undefined, status: status ?? undefined, bom: 1 })}`}
            download
            variant="light"
            leftSection={<IconDownload size={16} aria-hidden />}
          >
            {t('meeting.exportCsv')}
          </Button>
        </Group>
      </Paper>

      <Paper withBorder p="lg" component="section" aria-labelledby="fu-results">
        <Group justify="space-between" mb="sm">
          <Title order={2} fz="h4" id="fu-results">
            {t('followUp.results')}
          </Title>
          {total !== undefined && (
            <Text size="sm" aria-live="polite">
              {t('followUp.counts', { n: formatNumber(total, lang), overdue: formatNumber(overdue, lang) })}
            </Text>
          )}
        </Group>
        {list.isError && <Alert color="red">{errorMessage(t, list.error)}</Alert>}
        {update.isError && <Alert color="red">{errorMessage(t, update.error)}</Alert>}
        {list.isSuccess && rows.length === 0 ? (
          <Text c="dimmed">{t('followUp.none')}</Text>
        ) : (
          <ScrollTable label={t('followUp.results')} minWidth={860}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('followUp.fields.dueDate')}</Table.Th>
                  <Table.Th>{t('followUp.fields.title')}</Table.Th>
                  <Table.Th>{t('meeting.fields.organisation')}</Table.Th>
                  <Table.Th>{t('followUp.fields.meeting')}</Table.Th>
                  {scope === 'all' && <Table.Th>{t('followUp.fields.owner')}</Table.Th>}
                  <Table.Th>{t('followUp.fields.status')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((f) => (
                  <Table.Tr key={f.id} className={f.overdue ? classes.overdue : undefined} data-overdue={f.overdue || undefined}>
                    <Table.Td>
                      {f.dueDate ? formatDate(`${f.dueDate}T12:00:00Z`, lang, 'UTC') : t('followUp.noDueDate')}
                      {f.overdue && (
                        <Badge ms={6} color="red" variant="filled" size="sm">
                          {t('followUp.overdue')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <bdi>{f.title}</bdi>
                    </Table.Td>
                    <Table.Td>{f.organisationName ? <bdi>{organisationNameForReader(f, lang)}</bdi> : '—'}</Table.Td>
                    <Table.Td>
                      {f.meetingId ? (
                        <RouterAnchor to="/network/meetings/$id" params={{ id: f.meetingId }}>
                          <bdi>{f.meetingTitle}</bdi>
                        </RouterAnchor>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    {scope === 'all' && (
                      <Table.Td>
                        <bdi>{f.ownerName}</bdi>
                      </Table.Td>
                    )}
                    <Table.Td>{t(`followUp.statuses.${f.status}`)}</Table.Td>
                    <Table.Td>
                      {canWrite && f.status !== 'cancelled' && (
                        <Button
                          size="xs"
                          variant="light"
                          color={f.status === 'done' ? 'gray' : 'teal'}
                          onClick={() => update.mutate(f)}
                          leftSection={f.status === 'done' ? undefined : <IconCheck size={14} aria-hidden />}
                          aria-label={f.status === 'done' ? t('followUp.reopenNamed', { title: f.title }) : t('followUp.markDoneNamed', { title: f.title })}
                        >
                          {f.status === 'done' ? t('followUp.reopen') : t('followUp.markDone')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
        {list.hasNextPage && (
          <Group justify="center" mt="md">
            <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('meeting.loadMore')}
            </Button>
          </Group>
        )}
      </Paper>
    </Stack>
  );
}

import { Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RouterAnchor, RouterButton } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatNumber, formatSpan } from '../../format.ts';
import { pickText, useMe } from '../dialogues/dialogues-ui.tsx';
import { eventKeys, eventsApi, type EventStatus } from './events.api.ts';

export function StatusBadge({ status }: { status: EventStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={status === 'published' ? 'teal' : status === 'closed' ? 'gray' : 'yellow'}>
      {t(`events.staff.status.${status}`)}
    </Badge>
  );
}

/** Events, latest first: when (in the venue's zone), status, places and tickets, people waiting. */
export function EventsPage() {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const list = useInfiniteQuery({
    queryKey: eventKeys.list(),
    queryFn: ({ pageParam }) => eventsApi.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Title order={1}>{t('events.staff.list.title')}</Title>
          <Text c="dimmed" maw={720}>
            {t('events.staff.list.intro')}
          </Text>
        </div>
        {canWrite && (
          <RouterButton to="/events/new" leftSection={<IconPlus size={16} aria-hidden />}>
            {t('events.staff.list.new')}
          </RouterButton>
        )}
      </Group>
      <ErrorAlert error={list.error} />
      {list.isSuccess && !rows.length ? (
        <Text>{t('events.staff.list.empty')}</Text>
      ) : (
        <ScrollTable label={t('events.staff.list.title')} minWidth={760}>
          <Table verticalSpacing="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('events.staff.fields.title')}</Table.Th>
                <Table.Th>{t('events.staff.list.when')}</Table.Th>
                <Table.Th>{t('events.staff.fields.status')}</Table.Th>
                <Table.Th ta="end">{t('events.staff.totals.tickets')}</Table.Th>
                <Table.Th ta="end">{t('events.staff.totals.capacity')}</Table.Th>
                <Table.Th ta="end">{t('events.staff.totals.waiting')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((e) => {
                const title = pickText(e.title, i18n.language);
                return (
                  <Table.Tr key={e.id} data-testid="event-row">
                    <Table.Td>
                      <RouterAnchor to="/events/$id" params={{ id: e.id }} fw={600}>
                        <bdi lang={title.language}>{title.text}</bdi>
                      </RouterAnchor>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatSpan(e.startsAt, e.endsAt, i18n.language, e.timeZone)}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={e.status} />
                    </Table.Td>
                    <Table.Td ta="end">{n(e.tickets)}</Table.Td>
                    <Table.Td ta="end">{n(e.capacity)}</Table.Td>
                    <Table.Td ta="end">{n(e.waiting)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}

import { Badge, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterAnchor } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { exportHref, networkApi, STATUSES, type HealthFilter } from './network.api.ts';
import { ErrorAlert, ExportMenu, FilterPanel, LoadMore, nameForReader, StaffSelect, useMe } from './network-ui.tsx';

type Filter = { area?: string; tag?: string; ownerId?: string; status?: string };

/** Active members by days since the last meeting, never met first: the list a team opens before a trip. */
export function HealthPage() {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const [filter, setFilter] = useState<Filter>({});
  const [debounced] = useDebouncedValue(filter, 250);
  const set = (k: keyof Filter, v: string | null) => setFilter((f) => ({ ...f, [k]: v || undefined }));
  const list = useInfiniteQuery({
    queryKey: ['member-health', debounced],
    queryFn: ({ pageParam }) => networkApi.memberHealth(debounced as HealthFilter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const fmtN = (n: number) => formatNumber(n, i18n.language);
  const daysColor = (d: number | null) => (d === null ? 'red' : d > 90 ? 'orange' : d > 30 ? 'yellow' : 'teal');

  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={1}>{t('health.title')}</Title>
          <Text c="dimmed">{t('health.intro')}</Text>
        </div>
        <ExportMenu href={(excel) => exportHref('member-health', filter, excel)} />
      </Group>
      <FilterPanel list="member_health" cols={{ base: 1, sm: 2, lg: 4 }} filter={filter} setFilter={setFilter}>
        <TextInput label={t('org.fields.area')} value={filter.area ?? ''} onChange={(e) => set('area', e.currentTarget.value)} dir="auto" />
        <TextInput label={t('org.fields.tag')} value={filter.tag ?? ''} onChange={(e) => set('tag', e.currentTarget.value)} dir="auto" />
        <StaffSelect label={t('org.fields.owner')} value={filter.ownerId ?? null} onChange={(v) => set('ownerId', v)} />
        <Select
          label={t('org.fields.status')}
          data={[...STATUSES.map((s) => ({ value: s, label: t(`org.statuses.${s}`) })), { value: 'any', label: t('network.any') }]}
          value={filter.status ?? 'active'}
          onChange={(v) => set('status', v === 'active' ? null : v)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
      </FilterPanel>
      <ErrorAlert error={list.error} />
      <ScrollTable label={t('health.title')} minWidth={900}>
        <Table verticalSpacing="sm" striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('org.fields.name')}</Table.Th>
              <Table.Th>{t('org.fields.place')}</Table.Th>
              <Table.Th>{t('health.days')}</Table.Th>
              <Table.Th>{t('health.lastMeeting')}</Table.Th>
              <Table.Th>{t('health.last90')}</Table.Th>
              <Table.Th>{t('health.openConcerns')}</Table.Th>
              <Table.Th>{t('health.openFollowUps')}</Table.Th>
              <Table.Th>{t('org.fields.owner')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <RouterAnchor to={`/network/organisations/${r.id}`} fw={600}>
                    <bdi>{nameForReader(r, i18n.language)}</bdi>
                  </RouterAnchor>
                </Table.Td>
                <Table.Td>
                  <bdi>{[r.city, r.area, r.country].filter(Boolean).join(', ')}</bdi>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge variant="dot" color={daysColor(r.daysSinceLastMeeting)} styles={{ label: { overflow: 'visible' } }}>
                    {r.daysSinceLastMeeting === null ? t('health.never') : fmtN(r.daysSinceLastMeeting)}
                  </Badge>
                </Table.Td>
                <Table.Td>{r.lastMeetingAt ? formatDate(r.lastMeetingAt, i18n.language, timeZone) : '—'}</Table.Td>
                <Table.Td>{r.meetingsLast90Days}</Table.Td>
                <Table.Td>{r.openConcerns}</Table.Td>
                <Table.Td>{r.openFollowUps}</Table.Td>
                <Table.Td>
                  <bdi>{r.ownerName ?? ''}</bdi>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {list.isSuccess && rows.length === 0 && <Text c="dimmed">{t('health.empty')}</Text>}
      <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} shown={rows.length} />
    </Stack>
  );
}

import { Badge, Button, Group, Loader, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { lazy, Suspense, useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterAnchor } from '../../components/links.tsx';
import { dismissFirstPaint } from '../../first-paint.ts';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { exportHref, networkApi, orderLanguage, ORG_KINDS, STATUSES, type OrganisationFilter } from './network.api.ts';
import { ErrorAlert, ExportMenu, FilterPanel, KindBadge, LoadMore, nameForReader, StaffSelect, StatusBadge, useMe, useStaffOptions } from './network-ui.tsx';

// the form (and its inputs) loads when "New organisation" is opened, not with the list
const NewOrganisation = lazy(() => import('./new-organisation.tsx').then((m) => ({ default: m.NewOrganisation })));

type Filter = { kind?: string; status?: string; area?: string; tag?: string; ownerId?: string; q?: string };

export function OrganisationsPage() {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const { nameOf } = useStaffOptions();
  const [filter, setFilter] = useState<Filter>({});
  const [debounced] = useDebouncedValue(filter, 250);
  const [creating, setCreating] = useState(false);
  const set = (k: keyof Filter, v: string | null) => setFilter((f) => ({ ...f, [k]: v || undefined }));
  // the server's first paint (heading and introduction) goes in the frame this page's own appear
  useLayoutEffect(dismissFirstPaint, []);

  const lang = orderLanguage(i18n.language);
  const list = useInfiniteQuery({
    queryKey: ['organisations', 'list', debounced, lang],
    queryFn: ({ pageParam }) => networkApi.organisations({ ...(debounced as OrganisationFilter), lang }, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  // in the server's order, which is the reader's order of the names they see (nameForReader), page after page
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;

  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={1}>{t('org.list.title')}</Title>
          <Text c="dimmed">{t('org.list.intro')}</Text>
        </div>
        <Group gap="xs">
          <ExportMenu href={(excel) => exportHref('organisations', filter, excel)} />
          {canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              {t('org.list.new')}
            </Button>
          )}
        </Group>
      </Group>

      <FilterPanel list="organisations" cols={{ base: 1, sm: 3, lg: 6 }} filter={filter} setFilter={setFilter}>
        <TextInput
          label={t('org.list.q')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={filter.q ?? ''}
          onChange={(e) => set('q', e.currentTarget.value)}
          dir="auto"
          type="search"
        />
        <Select
          label={t('org.fields.kind')}
          data={ORG_KINDS.map((k) => ({ value: k, label: t(`org.kinds.${k}`) }))}
          value={filter.kind ?? null}
          onChange={(v) => set('kind', v)}
          clearable
          placeholder={t('network.any')}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('org.fields.status')}
          data={STATUSES.map((s) => ({ value: s, label: t(`org.statuses.${s}`) }))}
          value={filter.status ?? null}
          onChange={(v) => set('status', v)}
          clearable
          placeholder={t('network.any')}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput label={t('org.fields.area')} value={filter.area ?? ''} onChange={(e) => set('area', e.currentTarget.value)} dir="auto" />
        <TextInput label={t('org.fields.tag')} value={filter.tag ?? ''} onChange={(e) => set('tag', e.currentTarget.value)} dir="auto" />
        <StaffSelect label={t('org.fields.owner')} value={filter.ownerId ?? null} onChange={(v) => set('ownerId', v)} />
      </FilterPanel>

      <ErrorAlert error={list.error} />
      {/* the table comes with its first rows: an empty one laid its columns out again when they came, and that moved
          the headers and the count below (a layout shift on every load) */}
      {list.data && (
        <ScrollTable label={t('org.list.title')} minWidth={860}>
          <Table verticalSpacing="sm" striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('org.fields.name')}</Table.Th>
                <Table.Th>{t('org.fields.kind')}</Table.Th>
                <Table.Th>{t('org.fields.status')}</Table.Th>
                <Table.Th>{t('org.fields.place')}</Table.Th>
                <Table.Th>{t('org.fields.tags')}</Table.Th>
                <Table.Th>{t('org.fields.owner')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((o) => {
                const shown = nameForReader(o, i18n.language);
                const others = o.names.filter((n) => n.name !== shown);
                return (
                  <Table.Tr key={o.id}>
                    <Table.Td>
                      <RouterAnchor to={`/network/organisations/${o.id}`} fw={600}>
                        <bdi>{shown}</bdi>
                      </RouterAnchor>
                      {others.length > 0 && (
                        <Text size="xs" c="dimmed">
                          {others.slice(0, 3).map((n, i) => (
                            <span key={n.id}>
                              {i > 0 && ' · '}
                              <bdi>{n.name}</bdi>
                            </span>
                          ))}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <KindBadge kind={o.kind} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <StatusBadge status={o.status} />
                    </Table.Td>
                    <Table.Td>
                      <bdi>{[o.city, o.area, o.country].filter(Boolean).join(', ')}</bdi>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {o.tags.slice(0, 4).map((tag) => (
                          <Badge key={tag} size="sm" variant="light" color="gray">
                            <bdi>{tag}</bdi>
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <bdi>{nameOf(o.ownerId) ?? ''}</bdi>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {list.isSuccess && rows.length === 0 && <Text c="dimmed">{t('org.list.empty')}</Text>}
      {list.data && <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} shown={rows.length} total={total} />}

      <Modal closeButtonProps={{ 'aria-label': t('network.close') }} opened={creating} onClose={() => setCreating(false)} title={t('org.list.new')} size="xl" centered>
        <Suspense fallback={<Loader role="status" aria-label={t('common.loading')} />}>
          <NewOrganisation onCancel={() => setCreating(false)} />
        </Suspense>
      </Modal>
    </Stack>
  );
}

import { Badge, Button, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RouterAnchor } from '../../components/links.tsx';
import { DataTable, usePagedRows } from '../../components/data-table.tsx';
import { formatDateTime, isolate } from '../../format.ts';
import { erasureApi, recordHref, type Erasure, type ErasureStatusFilter } from './erasure.api.ts';
import { ConfirmErasureDialog, erasureKeys, MentionsToReview, useErasureRefresh } from './erasure-ui.tsx';
import { useMe } from './network-ui.tsx';

// Administration → Erasure requests: the pending requests (confirm, cancel) and the erasures carried out, with the
// places of free text each left to review (docs/erasure.md).

const FILTERS: ErasureStatusFilter[] = ['pending', 'done', 'cancelled', 'expired', 'all'];
const statusColor: Record<Erasure['status'], string> = { pending: 'orange', done: 'gray', cancelled: 'blue', expired: 'yellow' };

export function ErasuresPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ErasureStatusFilter>('pending');
  const list = usePagedRows([...erasureKeys.list, status], (cursor) => erasureApi.list(status, cursor));
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1}>{t('erasure.page.title')}</Title>
        <Text mt={4}>{t('erasure.page.intro')}</Text>
        <Text mt={4} size="sm">
          {t('erasure.page.backups')}
        </Text>
      </div>
      <SegmentedControl
        aria-label={t('erasure.page.filter')}
        value={status}
        onChange={(v) => setStatus(v as ErasureStatusFilter)}
        data={FILTERS.map((f) => ({ value: f, label: t(`erasure.filter.${f}`) }))}
        w="fit-content"
      />
      <DataTable
        label={t('erasure.page.title')}
        minWidth={900}
        columns={[t('erasure.columns.record'), t('erasure.columns.status'), t('erasure.columns.requested'), t('erasure.columns.outcome'), t('erasure.fields.reason'), t('erasure.columns.actions')]}
        source={list}
        empty={t(`erasure.page.empty.${status}`)}
        moreLabel={t('erasure.page.more')}
        row={(e) => <Row key={e.id} erasure={e} />}
      />
    </Stack>
  );
}

function Row({ erasure: e }: { erasure: Erasure }) {
  const { t, i18n } = useTranslation();
  const { me, timeZone } = useMe();
  const [confirming, setConfirming] = useState(false);
  const refresh = useErasureRefresh();
  const cancel = useMutation({ mutationFn: () => erasureApi.cancel(e.id), onSuccess: refresh });
  const settings = useQuery({ queryKey: ['erasure-settings'], queryFn: erasureApi.settings });
  // the requester may confirm only when the install does not require a second administrator
  const notMine = settings.data?.secondAdmin !== false && e.requestedBy?.id === me?.id;
  const when = (v: string | null) => (v ? formatDateTime(v, i18n.language, timeZone) : '—');
  const toReview = (e.mentions ?? []).filter((m) => !m.redacted);
  const kind = t(`erasure.recordTypes.${e.recordType}`);
  return (
    <Table.Tr data-testid={`erasure-row-${e.id}`}>
      <Table.Td>
        <Stack gap={2}>
          <RouterAnchor to={recordHref(e.recordType, e.recordId)}>
            <bdi>{e.recordName ?? e.tombstone}</bdi>
          </RouterAnchor>
          <Text size="xs" c="dimmed">
            {kind} · {t('erasure.columns.reference', { reference: e.reference })}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Badge color={statusColor[e.status]} variant="light">
          {t(`erasure.status.${e.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          <bdi>{e.requestedBy?.name ?? '—'}</bdi>
        </Text>
        <Text size="xs" c="dimmed">
          {when(e.requestedAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        {e.status === 'pending' && <Text size="sm">{t('erasure.columns.expires', { when: when(e.expiresAt) })}</Text>}
        {e.status === 'done' && (
          <Stack gap={4}>
            <Text size="sm">{t('erasure.columns.erasedBy', { who: isolate(e.erasedBy?.name ?? t('erasure.columns.command')), when: when(e.erasedAt) })}</Text>
            <MentionsToReview mentions={toReview} />
          </Stack>
        )}
        {e.status === 'cancelled' && <Text size="sm">{t('erasure.columns.cancelledBy', { who: isolate(e.cancelledBy?.name ?? '—'), when: when(e.cancelledAt) })}</Text>}
        {e.status === 'expired' && <Text size="sm">{t('erasure.columns.expired', { when: when(e.expiresAt) })}</Text>}
      </Table.Td>
      <Table.Td>
        <Text size="sm" dir="auto">
          {e.reason ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        {e.status === 'pending' && (
          <Stack gap={4} align="flex-start">
            <Group gap="xs" wrap="nowrap">
              <Button size="xs" color="red" onClick={() => setConfirming(true)} disabled={notMine}>
                {t('erasure.actions.confirm')}
              </Button>
              <Button size="xs" variant="default" loading={cancel.isPending} onClick={() => cancel.mutate()}>
                {t('erasure.actions.cancelRequest')}
              </Button>
            </Group>
            {notMine && (
              <Text size="xs" c="dimmed">
                {t('erasure.pending.notYou')}
              </Text>
            )}
            <ErrorAlert error={cancel.error} />
            <ConfirmErasureDialog erasure={e} opened={confirming} onClose={() => setConfirming(false)} />
          </Stack>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

import { Alert, Button, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../components/errors.ts';
import { DataTable, rowsOf } from '../../components/data-table.tsx';
import { CopyField } from '../../components/copy-field.tsx';
import { ConfirmDialog } from '../../components/dialogs.tsx';
import { Panel } from '../../components/panel.tsx';
import { formatDateTime } from '../../format.ts';
import { useViewer } from './meeting-parts.tsx';
import { meetingsApi, type CalendarFeed } from './meetings.api.ts';
import classes from './meetings.module.css';

export function CalendarFeedsPage() {
  const { t, i18n } = useTranslation();
  const { timeZone } = useViewer();
  const queryClient = useQueryClient();
  const feeds = useQuery({ queryKey: ['calendar-feeds'], queryFn: () => meetingsApi.feeds() });
  const [confirm, setConfirm] = useState<CalendarFeed | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['calendar-feeds'] });
  const create = useMutation({ mutationFn: () => meetingsApi.createFeed(), onSettled: refresh });
  const revoke = useMutation({
    mutationFn: (id: string) => meetingsApi.revokeFeed(id),
    onSuccess: (_, id) => {
      setConfirm(null);
      // the address just shown belongs to the revoked feed: stop showing it
      if (create.data?.id === id) create.reset();
    },
    onSettled: refresh,
  });

  return (
    <Stack gap="lg" maw={900}>
      <div>
        <Title order={1}>{t('calendar.title')}</Title>
        <Text mt={4}>{t('calendar.intro')}</Text>
      </div>
      <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('calendar.privateTitle')}>
        {t('calendar.privateBody')}
      </Alert>

      <Panel id="new-feed" title={t('calendar.newFeed')} gap="sm">
        <Text size="sm" mb="md">
          {t('calendar.newFeedIntro')}
        </Text>
        <Button leftSection={<IconPlus size={16} aria-hidden />} loading={create.isPending} onClick={() => create.mutate()}>
          {t('calendar.create')}
        </Button>
        {create.isError && (
          <Alert color="red" mt="md" role="alert">
            {errorMessage(t, create.error)}
          </Alert>
        )}
        {create.data && (
          <Alert color="teal" variant="light" mt="md" role="status" title={t('calendar.created')}>
            <Stack gap="xs">
              <Text size="sm">{t('calendar.onceOnly')}</Text>
              <CopyField label={t('calendar.url')} value={create.data.url} testId="feed-url" inputClassName={classes.feedUrl} />
              <Text size="sm">{t('calendar.howTo')}</Text>
            </Stack>
          </Alert>
        )}
      </Panel>

      <Panel id="feeds" title={t('calendar.feeds')} gap="sm">
        <DataTable
          label={t('calendar.feeds')}
          minWidth={420}
          columns={[t('calendar.createdAt'), t('common.actions')]}
          source={rowsOf(feeds)}
          empty={t('calendar.none')}
          table={{ striped: false }}
          row={(f) => (
            <Table.Tr key={f.id}>
              <Table.Td>{formatDateTime(f.createdAt, i18n.language, timeZone)}</Table.Td>
              <Table.Td>
                <Button size="xs" color="red" variant="light" onClick={() => (revoke.reset(), setConfirm(f))}>
                  {t('calendar.revoke')}
                </Button>
              </Table.Td>
            </Table.Tr>
          )}
        />
      </Panel>

      <ConfirmDialog
        opened={!!confirm}
        onClose={() => setConfirm(null)}
        title={t('calendar.revokeTitle')}
        body={t('calendar.revokeBody')}
        confirmLabel={t('calendar.revoke')}
        onConfirm={() => confirm && revoke.mutate(confirm.id)}
        pending={revoke.isPending}
        error={revoke.error}
      />
    </Stack>
  );
}

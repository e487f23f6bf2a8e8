import { Alert, Button, CopyButton, Group, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../components/errors.ts';
import { ScrollTable } from '../../components/scroll-table.tsx';
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

      <Paper withBorder p="lg" component="section" aria-labelledby="new-feed">
        <Title order={2} fz="h3" id="new-feed" mb="sm">
          {t('calendar.newFeed')}
        </Title>
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
              <Group gap="xs" wrap="nowrap" align="flex-end">
                <TextInput
                  label={t('calendar.url')}
                  value={create.data.url}
                  readOnly
                  dir="ltr"
                  style={{ flex: 1 }}
                  classNames={{ input: classes.feedUrl }}
                  data-testid="feed-url"
                  onFocus={(e) => e.currentTarget.select()}
                />
                <CopyButton value={create.data.url}>
                  {({ copied, copy }) => (
                    <Button variant="light" onClick={copy} leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}>
                      {copied ? t('common.copied') : t('common.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
              <Text size="sm">{t('calendar.howTo')}</Text>
            </Stack>
          </Alert>
        )}
      </Paper>

      <Paper withBorder p="lg" component="section" aria-labelledby="feeds">
        <Title order={2} fz="h3" id="feeds" mb="sm">
          {t('calendar.feeds')}
        </Title>
        {feeds.isError && <Alert color="red">{errorMessage(t, feeds.error)}</Alert>}
        {feeds.data?.items.length === 0 ? (
          <Text c="dimmed">{t('calendar.none')}</Text>
        ) : (
          <ScrollTable label={t('calendar.feeds')} minWidth={420}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('calendar.createdAt')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {feeds.data?.items.map((f) => (
                  <Table.Tr key={f.id}>
                    <Table.Td>{formatDateTime(f.createdAt, i18n.language, timeZone)}</Table.Td>
                    <Table.Td>
                      <Button size="xs" color="red" variant="light" onClick={() => (revoke.reset(), setConfirm(f))}>
                        {t('calendar.revoke')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </Paper>

      <Modal opened={!!confirm} onClose={() => setConfirm(null)} title={t('calendar.revokeTitle')} centered>
        <Stack>
          <Text>{t('calendar.revokeBody')}</Text>
          {revoke.isError && (
            <Alert color="red" role="alert">
              {errorMessage(t, revoke.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => confirm && revoke.mutate(confirm.id)}>
              {t('calendar.revoke')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

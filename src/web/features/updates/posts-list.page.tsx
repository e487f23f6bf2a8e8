import { Anchor, Badge, Chip, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconChartBar, IconExternalLink, IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localeInfo } from '../../../i18n/locales.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RouterAnchor, RouterButton } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDateTime } from '../../format.ts';
import { useMe } from '../dialogues/dialogues-ui.tsx';
import { POST_STATES, postKeys, updatesApi, type PostState } from './updates.api.ts';

const STATE_COLOR: Record<PostState, string> = { draft: 'yellow', in_review: 'blue', scheduled: 'grape', published: 'teal', unpublished: 'gray' };

export function PostStateBadge({ state }: { state: PostState }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATE_COLOR[state]}>
      {t(`updates.staff.state.${state}`)}
    </Badge>
  );
}

/** Posts by state, last changed first: title in the reader's language (else another), languages written, visibility. */
export function PostsPage() {
  const { t, i18n } = useTranslation();
  const { canWrite, timeZone } = useMe();
  const [state, setState] = useState<PostState | 'all'>('all');
  const list = useInfiniteQuery({
    queryKey: postKeys.list(state === 'all' ? undefined : state),
    queryFn: ({ pageParam }) => updatesApi.list(state === 'all' ? undefined : state, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Title order={1}>{t('updates.staff.list.title')}</Title>
          <Text c="dimmed" maw={720}>
            {t('updates.staff.list.intro')}
          </Text>
          <Anchor href={`/news?lang=${i18n.language}`} target="_blank" rel="noopener" size="sm">
            {t('updates.staff.list.publicSite')} <IconExternalLink size={14} aria-hidden />
          </Anchor>
        </div>
        {canWrite && (
          <Group gap="xs">
            <RouterButton to="/updates/from-data" variant="light" leftSection={<IconChartBar size={16} aria-hidden />}>
              {t('updates.staff.fromData.action')}
            </RouterButton>
            <RouterButton to="/updates/new" leftSection={<IconPlus size={16} aria-hidden />}>
              {t('updates.staff.list.new')}
            </RouterButton>
          </Group>
        )}
      </Group>
      <Chip.Group multiple={false} value={state} onChange={(v) => setState(v as PostState | 'all')}>
        <Group gap="xs" role="radiogroup" aria-label={t('updates.staff.list.title')}>
          {(['all', ...POST_STATES] as const).map((s) => (
            <Chip key={s} value={s} variant="outline">
              {s === 'all' ? t('updates.staff.list.all') : t(`updates.staff.state.${s}`)}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <ErrorAlert error={list.error} />
      {list.isSuccess && !rows.length ? (
        <Text>{t('updates.staff.list.empty')}</Text>
      ) : (
        <ScrollTable label={t('updates.staff.list.title')} minWidth={720}>
          <Table verticalSpacing="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('updates.staff.fields.title')}</Table.Th>
                <Table.Th>{t('updates.staff.list.languages')}</Table.Th>
                <Table.Th>{t('updates.staff.visibility.label')}</Table.Th>
                <Table.Th>{t('updates.staff.list.changed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => {
                const lang = p.titles[i18n.language] ? i18n.language : (p.languages[0] ?? 'en');
                return (
                  <Table.Tr key={p.id} data-testid="post-row">
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <PostStateBadge state={p.state} />
                        <RouterAnchor to="/updates/$id" params={{ id: p.id }} fw={600}>
                          <bdi lang={lang}>{p.titles[lang] ?? ''}</bdi>
                        </RouterAnchor>
                      </Group>
                    </Table.Td>
                    <Table.Td>{p.languages.map((l) => localeInfo[l].label).join(' · ')}</Table.Td>
                    <Table.Td>{t(`updates.staff.visibility.${p.visibility}`)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(p.updatedAt, i18n.language, timeZone)}</Table.Td>
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

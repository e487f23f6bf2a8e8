import { Badge, Group, Loader, Stack, Text, Timeline } from '@mantine/core';
import { IconCalendarEvent, IconChecklist, IconExchange, IconFlag, IconLink, IconLock, IconMessage, IconUser } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterAnchor } from '../../components/links.tsx';
import { formatDateTime } from '../../format.ts';
import { networkApi, type TimelineItem, type TimelineType } from './network.api.ts';
import { ErrorAlert, formatDay, useMe } from './network-ui.tsx';
import { organisationNameForReader } from './reader-name.ts';

const icons: Record<TimelineType, ComponentType<{ size?: number; 'aria-hidden'?: boolean }>> = {
  meeting: IconCalendarEvent,
  shared_item: IconMessage,
  follow_up: IconChecklist,
  link: IconLink,
  affiliation: IconUser,
  status: IconFlag,
};
const colors: Record<TimelineType, string> = { meeting: 'indigo', shared_item: 'red', follow_up: 'teal', link: 'blue', affiliation: 'gray', status: 'gray' };

/** Days without a time (status since, link start) are stored at 00:00Z: show the day, not a time. */
function isDayOnly(at: string): boolean {
  return /T00:00:00(\.000)?(Z|\+00:00)$/.test(at);
}

/** One timeline for an organisation or a person: meetings, what was shared, follow-ups, links, affiliations, status changes; newest first. */
export function RecordTimeline(props: { of: 'organisation' | 'person'; id: string }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const timeline = useQuery({
    queryKey: ['timeline', props.of, props.id],
    queryFn: () => (props.of === 'organisation' ? networkApi.organisationTimeline(props.id) : networkApi.personTimeline(props.id)),
  });
  if (timeline.isPending) return <Loader size="sm" role="status" aria-label={t('common.loading')} />;
  if (timeline.isError) return <ErrorAlert error={timeline.error} />;
  const items = [...timeline.data.items].sort((a, b) => b.at.localeCompare(a.at));
  if (!items.length) return <Text c="dimmed">{t('network.timeline.empty')}</Text>;

  // an entry that carries the organisation's names shows the one in the reader's script
  const orgName = (it: TimelineItem) => organisationNameForReader(it, i18n.language);
  const when = (it: TimelineItem) => (isDayOnly(it.at) ? formatDay(it.at.slice(0, 10), i18n.language) : formatDateTime(it.at, i18n.language, timeZone));
  const kindLabel = (it: TimelineItem) => {
    if (!it.kind) return null;
    const key = it.type === 'meeting' ? `network.meetingKinds.${it.kind}` : it.type === 'shared_item' ? `network.sharedKinds.${it.kind}` : it.type === 'link' ? `org.linkKinds.${it.kind}` : it.type === 'status' ? `org.statuses.${it.kind}` : null;
    return key && i18n.exists(key) ? t(key) : it.kind;
  };

  return (
    <Timeline bulletSize={28} lineWidth={2} data-testid="timeline">
      {items.map((it) => {
        const Icon = icons[it.type];
        // a meeting entry is the meeting itself; a shared item or follow-up names the meeting it belongs to
        const meetingId = it.type === 'meeting' ? it.id : it.meetingId;
        const meetingLink = meetingId ? `/network/meetings/${meetingId}` : null;
        const kind = kindLabel(it);
        return (
          <Timeline.Item key={`${it.type}:${it.id}:${it.at}`} bullet={<Icon size={16} aria-hidden />} color={colors[it.type]} lineVariant={it.type === 'status' ? 'dashed' : 'solid'}>
            <Stack gap={2}>
              <Group gap={6} wrap="wrap">
                <Text size="xs" c="dimmed" fw={600}>
                  {t(`network.timeline.types.${it.type}`)}
                </Text>
                {kind && it.type !== 'link' && it.type !== 'status' && (
                  <Badge size="xs" variant="light" color={colors[it.type]}>
                    {kind}
                  </Badge>
                )}
                {it.status && it.type !== 'status' && (
                  <Badge size="xs" variant="light" color="gray">
                    {i18n.exists(`network.itemStatuses.${it.status}`) ? t(`network.itemStatuses.${it.status}`) : it.status}
                  </Badge>
                )}
                {it.restricted && (
                  <Badge size="xs" color="red" variant="light" leftSection={<IconLock size={10} aria-hidden />}>
                    {t('network.restricted')}
                  </Badge>
                )}
              </Group>
              <Text fw={500}>
                {it.type === 'meeting' && meetingLink ? (
                  <RouterAnchor to={meetingLink}>
                    <bdi>{it.title}</bdi>
                  </RouterAnchor>
                ) : it.type === 'status' ? (
                  t('network.timeline.statusTo', { status: kindLabel({ ...it, kind: it.kind ?? it.title }) ?? it.title })
                ) : it.type === 'link' && it.kind ? (
                  <>
                    {kindLabel(it)}{' '}
                    {it.organisationId ? (
                      <RouterAnchor to={`/network/organisations/${it.organisationId}`}>
                        <bdi>{orgName(it)}</bdi>
                      </RouterAnchor>
                    ) : (
                      <bdi>{orgName(it) ?? it.title}</bdi>
                    )}
                  </>
                ) : (
                  <bdi>{it.title}</bdi>
                )}
              </Text>
              <Text size="sm" c="dimmed">
                <time dateTime={it.at}>{when(it)}</time>
                {it.city ? <> · <bdi>{it.city}</bdi></> : null}
                {it.dueDate ? <> · {t('network.timeline.due', { date: formatDay(it.dueDate, i18n.language) })}</> : null}
              </Text>
              {it.type !== 'meeting' && it.meetingTitle && meetingLink && (
                <Text size="sm">
                  {t('network.timeline.inMeeting')}{' '}
                  <RouterAnchor to={meetingLink}>
                    <bdi>{it.meetingTitle}</bdi>
                  </RouterAnchor>
                </Text>
              )}
              {it.type !== 'link' && it.organisationId && props.of === 'person' && (
                <Text size="sm">
                  <RouterAnchor to={`/network/organisations/${it.organisationId}`}>
                    <bdi>{orgName(it)}</bdi>
                  </RouterAnchor>
                </Text>
              )}
              {it.personId && props.of === 'organisation' && (
                <Text size="sm">
                  <RouterAnchor to={`/network/people/${it.personId}`}>
                    <bdi>{it.personName}</bdi>
                  </RouterAnchor>
                </Text>
              )}
              {it.note && (
                <Text size="sm" dir="auto">
                  {it.note}
                </Text>
              )}
              {it.type === 'link' && it.role === 'incoming' && (
                <Text size="xs" c="dimmed">
                  <IconExchange size={12} aria-hidden /> {t('network.timeline.incoming')}
                </Text>
              )}
            </Stack>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

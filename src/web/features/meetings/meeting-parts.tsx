import { Badge, Tooltip } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../format.ts';
import { meQuery } from '../../session.ts';
import { meetingsApi, type Topic } from './meetings.api.ts';
import { sameWallClock } from './zoned-time.ts';

type TopicNames = Pick<Topic, 'nameEn' | 'nameHe' | 'nameAr'> & { key?: string | null };

/** A topic's name in the interface language. */
export function topicName(topic: Partial<TopicNames> | null | undefined, lang: string): string {
  if (!topic) return '';
  const name = lang === 'he' ? topic.nameHe : lang === 'ar' ? topic.nameAr : topic.nameEn;
  return name || topic.nameEn || topic.key || '';
}

export function useViewer() {
  const { data: me } = useQuery(meQuery);
  return { me, timeZone: me?.timeZone ?? 'UTC', isAdmin: me?.role === 'admin', canWrite: me?.role === 'admin' || me?.role === 'staff' };
}

export function useTopics() {
  return useQuery({ queryKey: ['topics'], queryFn: () => meetingsApi.topics(), staleTime: 5 * 60_000 });
}

export function useStaff() {
  return useQuery({ queryKey: ['staff'], queryFn: () => meetingsApi.staff(), staleTime: 5 * 60_000 });
}

// dates and times are written by format.ts, for every page alike
export { formatSpan, formatTime } from '../../format.ts';

/** The place's name for "11:30 Ramallah time": the city when known, else the zone's own city. */
export function placeName(m: { city: string | null; timeZone: string }): string {
  return m.city || m.timeZone.split('/').pop()!.replace(/_/g, ' ');
}

/** "11:30 Ramallah time" when the place's clock differs from the viewer's; null when it is the same. */
export function placeTimeText(t: TFunction, m: { startsAt: string; city: string | null; timeZone: string }, lang: string, viewerZone: string): string | null {
  if (sameWallClock(m.startsAt, m.timeZone, viewerZone)) return null;
  return t('meeting.placeTime', { time: formatTime(m.startsAt, lang, m.timeZone), place: `\u2068${placeName(m)}\u2069` });
}

export function LockBadge(props: { label?: string }) {
  const { t } = useTranslation();
  const label = props.label ?? t('meeting.restrictedBadge');
  return (
    <Tooltip label={t('meeting.restrictedHint')} withinPortal>
      <Badge color="red" variant="light" leftSection={<IconLock size={12} aria-hidden />} tabIndex={0}>
        {label}
      </Badge>
    </Tooltip>
  );
}

export function KindBadge(props: { kind: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color="indigo">
      {t(`meeting.kinds.${props.kind}`)}
    </Badge>
  );
}

import { Alert, Box, Button, Group, Loader, Paper, Text, Title, useDirection } from '@mantine/core';
import { IconChevronLeft, IconChevronRight, IconLock } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { formatDayRange, formatWeekday, timeZoneLabel } from '../../format.ts';
import { formatTime, placeTimeText, useViewer } from './meeting-parts.tsx';
import { meetingsApi, type MeetingSummary } from './meetings.api.ts';
import classes from './meetings.module.css';
import { addDays, dayOfWeek, dayRangeUtc, startOfWeek, weekStartDay, zonedDate } from './zoned-time.ts';

/** The weekend of the viewer's language: Friday and Saturday in Hebrew and Arabic, Saturday and Sunday otherwise. */
function isWeekend(date: string, lang: string): boolean {
  const d = dayOfWeek(date);
  return lang === 'he' || lang === 'ar' ? d === 5 || d === 6 : d === 6 || d === 0;
}

/** Monday–Sunday (English) or Sunday–Saturday (Hebrew, Arabic), in the viewer's time zone. */
export function WeekCalendar(props: { week?: string; onWeek: (week: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { timeZone } = useViewer();
  const firstDay = weekStartDay(lang);
  const today = zonedDate(Date.now(), timeZone);
  const start = startOfWeek(props.week ?? today, firstDay);
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  const range = dayRangeUtc(start, 7, timeZone);

  const meetings = useQuery({
    queryKey: ['meetings', 'week', range.from, range.to],
    // a week holds at most a few hundred meetings; one page of 200 covers it
    queryFn: () => meetingsApi.meetings({ from: range.from, to: range.to }, undefined, 200),
  });

  const title = formatDayRange(days[0]!, days[6]!, lang);

  const byDay = new Map<string, MeetingSummary[]>(days.map((d) => [d, []]));
  for (const m of meetings.data?.items ?? []) {
    // a meeting shows on every day of the viewer's week it overlaps
    const first = zonedDate(m.startsAt, timeZone);
    const last = zonedDate(new Date(Date.parse(m.endsAt) - 1), timeZone);
    for (const d of days) if (d >= first && d <= last) byDay.get(d)!.push(m);
  }
  for (const list of byDay.values()) list.sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  // in right-to-left layouts "previous" points right: the icons follow the reading direction. The direction comes
  // from Mantine's DirectionProvider (which follows the language), so a language switch re-renders the chevrons.
  const { dir } = useDirection();
  const Prev = dir === 'rtl' ? IconChevronRight : IconChevronLeft;
  const Next = dir === 'rtl' ? IconChevronLeft : IconChevronRight;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="week-title">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <div>
          <Title order={2} fz="h3" id="week-title" aria-live="polite">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {t('meeting.week.zone', { zone: timeZoneLabel(timeZone, lang) })}
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="default" leftSection={<Prev size={16} aria-hidden data-testid="previous-week-icon" />} onClick={() => props.onWeek(addDays(start, -7))}>
            {t('meeting.week.previous')}
          </Button>
          <Button variant="default" onClick={() => props.onWeek(startOfWeek(today, firstDay))} disabled={days.includes(today)}>
            {t('meeting.week.thisWeek')}
          </Button>
          <Button variant="default" rightSection={<Next size={16} aria-hidden data-testid="next-week-icon" />} onClick={() => props.onWeek(addDays(start, 7))}>
            {t('meeting.week.next')}
          </Button>
        </Group>
      </Group>
      {meetings.isError && (
        <Alert color="red" mb="sm">
          {errorMessage(t, meetings.error)}
        </Alert>
      )}
      {meetings.isPending && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
      <div className={classes.week} data-testid="week-calendar">
        {days.map((d) => {
          const list = byDay.get(d)!;
          return (
            <Box
              key={d}
              component="section"
              aria-labelledby={`day-${d}`}
              className={classes.day}
              data-weekend={isWeekend(d, lang) || undefined}
              data-today={d === today || undefined}
              data-date={d}
            >
              <Text component="h3" fw={700} size="sm" id={`day-${d}`} className={classes.dayTitle}>
                {formatWeekday(d, lang)}
                {d === today && (
                  <Text span size="xs" c="indigo.9" ms={6}>
                    {t('meeting.week.today')}
                  </Text>
                )}
              </Text>
              {list.length === 0 ? (
                <Text size="xs" c="dimmed" className={classes.empty}>
                  {t('meeting.week.none')}
                </Text>
              ) : (
                <ul className={classes.blocks}>
                  {list.map((m) => {
                    const local = placeTimeText(t, m, lang, timeZone);
                    return (
                      <li key={m.id} className={classes.block} data-kind={m.kind}>
                        <Text size="xs" fw={700}>
                          <bdi>{`${formatTime(m.startsAt, lang, timeZone)}–${formatTime(m.endsAt, lang, timeZone)}`}</bdi>
                          {m.restricted && (
                            <IconLock size={12} aria-label={t('meeting.restrictedBadge')} role="img" className={classes.lock} />
                          )}
                        </Text>
                        <RouterAnchor to="/network/meetings/$id" params={{ id: m.id }} size="sm" fw={600} className={classes.blockTitle}>
                          <bdi>{m.title}</bdi>
                        </RouterAnchor>
                        {local && (
                          <Text size="xs" c="dimmed">
                            {local}
                          </Text>
                        )}
                        {m.city && !local && (
                          <Text size="xs" c="dimmed">
                            <bdi>{m.city}</bdi>
                          </Text>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </Box>
          );
        })}
      </div>
    </Paper>
  );
}

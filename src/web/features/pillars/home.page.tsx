import { Alert, Badge, Group, List, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RouterAnchor, RouterButton } from '../../components/links.tsx';
import { Panel } from '../../components/panel.tsx';
import { formatDateTime, formatDay, formatNumber, formatSpan, timeZoneLabel } from '../../format.ts';
import { meQuery } from '../../session.ts';
import { LockBadge } from '../meetings/meeting-parts.tsx';
import { nameForReader } from '../network/reader-name.ts';
import { myWorkApi, type MyWork } from './my-work.api.ts';

/** Days between two calendar days (YYYY-MM-DD). */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Today in a time zone, YYYY-MM-DD. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The home page: a person's work for today, and what others recorded since they last came. */
export function HomePage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useQuery(meQuery);
  const work = useQuery({ queryKey: ['my-work'], queryFn: myWorkApi.myWork, staleTime: 30_000 });
  if (!me) return null;
  const lang = i18n.language;
  const w = work.data;
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1}>
          {t('home.welcome')} <bdi>{me.name}</bdi>
        </Title>
        <Text c="dimmed" mt={4}>
          {t('home.now', { time: formatDateTime(new Date(), lang, me.timeZone), zone: timeZoneLabel(me.timeZone, lang) })}
        </Text>
      </div>
      <ErrorAlert error={work.error} />
      {work.isPending && <Loader role="status" aria-label={t('common.loading')} />}
      {w?.team && w.team.otherAccounts === 0 && w.team.pendingInvitations === 0 && (
        <Alert variant="light" color="indigo" icon={<IconUsers aria-hidden />} title={t('home.adminTitle')}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('home.adminBody')}</Text>
            <RouterButton to="/admin/people" size="xs" variant="filled">
              {t('home.adminAction')}
            </RouterButton>
          </Stack>
        </Alert>
      )}
      {w && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <UpcomingMeetings work={w} />
          <OverdueFollowUps work={w} timeZone={me.timeZone} />
          <OpenResearch work={w} />
          <Changes work={w} timeZone={me.timeZone} />
        </SimpleGrid>
      )}
    </Stack>
  );
}

/** A list's footer: "and 3 more" and a link to the whole list. */
function More(props: { total: number; shown: number; to: string; label: string }) {
  const { t, i18n } = useTranslation();
  const rest = props.total - props.shown;
  return (
    <Group gap="xs" mt="sm">
      {rest > 0 && (
        <Text size="sm" c="dimmed">
          {t('home.more', { count: rest, n: formatNumber(rest, i18n.language) })}
        </Text>
      )}
      <RouterAnchor to={props.to} size="sm">
        {props.label}
      </RouterAnchor>
    </Group>
  );
}

function UpcomingMeetings({ work }: { work: MyWork }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { items, total } = work.upcomingMeetings;
  return (
    <Panel id="home-meetings" title={t('home.meetings.title')} size="h4" gap="sm">
      {items.length === 0 ? (
        <Text c="dimmed">{t('home.meetings.none')}</Text>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((m) => (
            <li key={m.id}>
              <Group gap={6} wrap="wrap">
                <RouterAnchor to="/network/meetings/$id" params={{ id: m.id }} fw={600}>
                  <bdi>{m.title}</bdi>
                </RouterAnchor>
                {m.restricted && <LockBadge />}
              </Group>
              <Text size="sm">{formatSpan(m.startsAt, m.endsAt, lang, work.timeZone)}</Text>
              {m.organisations.length > 0 && (
                <Text size="sm" c="dimmed">
                  {m.organisations.slice(0, 3).map((o, i) => (
                    <span key={o.organisationId}>
                      {i > 0 && ' · '}
                      <bdi>{nameForReader(o, lang)}</bdi>
                    </span>
                  ))}
                </Text>
              )}
            </li>
          ))}
        </Stack>
      )}
      <More total={total} shown={items.length} to="/network/meetings" label={t('home.meetings.all')} />
    </Panel>
  );
}

function OverdueFollowUps({ work, timeZone }: { work: MyWork; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const today = todayIn(timeZone);
  const { items, total } = work.overdueFollowUps;
  return (
    <Panel id="home-follow-ups" title={t('home.followUps.title')} size="h4" gap="sm">
      {items.length === 0 ? (
        <Text c="dimmed">{t('home.followUps.none')}</Text>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((f) => {
            const late = f.dueDate ? daysBetween(f.dueDate, today) : 0;
            return (
              <li key={f.id}>
                <Text fw={600} dir="auto">
                  {f.title}
                </Text>
                <Text size="sm" c="red.8">
                  {t('home.followUps.late', { count: late, n: formatNumber(late, lang), date: formatDay(f.dueDate, lang) })}
                </Text>
                {f.meetingId && f.meetingTitle && (
                  <RouterAnchor to="/network/meetings/$id" params={{ id: f.meetingId }} size="sm">
                    <bdi>{f.meetingTitle}</bdi>
                  </RouterAnchor>
                )}
              </li>
            );
          })}
        </Stack>
      )}
      <More total={total} shown={items.length} to="/network/follow-ups" label={t('home.followUps.all')} />
    </Panel>
  );
}

function OpenResearch({ work }: { work: MyWork }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const none = work.openSessions.length === 0 && work.openStudies.length === 0;
  return (
    <Panel id="home-research" title={t('home.research.title')} size="h4" gap="sm">
      {none ? (
        <Text c="dimmed">{t('home.research.none')}</Text>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {work.openSessions.map((s) => (
            <li key={s.sessionId}>
              <RouterAnchor to="/research/dialogues/$id" params={{ id: s.dialogueId }} fw={600}>
                <bdi>{s.dialogueTitle}</bdi>
              </RouterAnchor>
              <Text size="sm">
                <bdi>{s.sessionTitle}</bdi>
                {' · '}
                {t('home.research.participants', { count: s.participants, n: formatNumber(s.participants, lang) })}
                {s.closesAt && (
                  <>
                    {' · '}
                    {t('home.research.closes', { date: formatDateTime(s.closesAt, lang, work.timeZone) })}
                  </>
                )}
              </Text>
            </li>
          ))}
          {work.openStudies.map((s) => (
            <li key={s.id}>
              <RouterAnchor to="/research/studies/$id" params={{ id: s.id }} fw={600}>
                <bdi>{s.title}</bdi>
              </RouterAnchor>
              <Text size="sm">{t('home.research.responses', { count: s.completedResponses, n: formatNumber(s.completedResponses, lang) })}</Text>
            </li>
          ))}
        </Stack>
      )}
    </Panel>
  );
}

function Changes({ work, timeZone }: { work: MyWork; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const c = work.changes;
  const n = (count: number) => ({ count, n: formatNumber(count, lang) });
  const lines: { key: string; count: number; body?: ReactNode }[] = [
    {
      key: 'meetings',
      count: c.meetings.total,
      body: (
        <List size="sm" spacing={4} mt={4}>
          {c.meetings.items.map((m) => (
            <List.Item key={m.id}>
              <Group gap={6} wrap="wrap">
                <Badge size="sm" variant="light" color={m.change === 'new' ? 'teal' : 'gray'}>
                  {t(m.change === 'new' ? 'home.changes.new' : 'home.changes.updated')}
                </Badge>
                <RouterAnchor to="/network/meetings/$id" params={{ id: m.id }}>
                  <bdi>{m.title}</bdi>
                </RouterAnchor>
                {m.restricted && <LockBadge />}
              </Group>
            </List.Item>
          ))}
        </List>
      ),
    },
    {
      key: 'followUps',
      count: c.followUpsForYou.total,
      body: (
        <List size="sm" spacing={4} mt={4}>
          {c.followUpsForYou.items.map((f) => (
            <List.Item key={f.id}>
              <bdi>{f.title}</bdi>
            </List.Item>
          ))}
        </List>
      ),
    },
    {
      key: 'organisations',
      count: c.organisations.total,
      body: (
        <List size="sm" spacing={4} mt={4}>
          {c.organisations.items.map((o) => (
            <List.Item key={o.id}>
              <RouterAnchor to="/network/organisations/$id" params={{ id: o.id }}>
                <bdi>{nameForReader(o, lang)}</bdi>
              </RouterAnchor>
            </List.Item>
          ))}
        </List>
      ),
    },
    { key: 'people', count: c.people },
    { key: 'sharedItems', count: c.sharedItems },
    { key: 'statements', count: c.statements },
    { key: 'responses', count: c.responses },
  ];
  const shown = lines.filter((l) => l.count > 0);
  return (
    <Panel id="home-changes" title={t('home.changes.title')} size="h4" gap="sm">
      <Text size="sm" c="dimmed" mb="sm">
        {c.basis === 'lastVisit' ? t('home.changes.sinceVisit', { date: formatDateTime(c.since, lang, timeZone) }) : t('home.changes.sinceWeek')}
      </Text>
      {shown.length === 0 ? (
        <Text c="dimmed">{t('home.changes.nothing')}</Text>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {shown.map((l) => (
            <li key={l.key} data-testid={`change-${l.key}`}>
              <Text fw={600}>{t(`home.changes.${l.key}`, n(l.count))}</Text>
              {l.body}
            </li>
          ))}
        </Stack>
      )}
    </Panel>
  );
}

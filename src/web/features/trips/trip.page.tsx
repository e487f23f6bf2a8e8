import { Alert, Badge, Button, Group, List, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCalendarDown, IconPin, IconPinnedOff, IconPrinter, IconRoute, IconUsersGroup } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { formatDayRange, formatNumber, formatTimeRange, formatWeekday, zonedLocalToIso } from '../../format.ts';
import { useMe } from '../dialogues/dialogues-ui.tsx';
import { tripKeys, tripsApi, type PinResult, type PlanItem, type TripDetail, type TripPlan } from './trips.api.ts';
import classes from './trips.module.css';
import { TripRecords } from './trip-records.tsx';

type Entry =
  | { kind: 'item'; at: string; end: string; item: PlanItem }
  | { kind: 'leg'; at: string; end: string; to: string | null }
  | { kind: 'fixed'; at: string; end: string; title: string; placeId: string };

/** The local date (YYYY-MM-DD) of an instant in a zone. */
function localDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** One trip: plan or re-plan, the week per traveller (days as columns, travel legs, holidays), a list for phones, print, .ics. */
export function TripPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const queryClient = useQueryClient();
  const trip = useQuery({ queryKey: tripKeys.one(id), queryFn: () => tripsApi.get(id) });
  const plan = useQuery({ queryKey: tripKeys.plan(id), queryFn: () => tripsApi.plan(id) });
  const [travellerId, setTravellerId] = useState<string | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: tripKeys.plan(id) });
    await queryClient.invalidateQueries({ queryKey: tripKeys.one(id) });
  };
  const replan = useMutation({ mutationFn: () => tripsApi.replan(id), onSuccess: (p) => queryClient.setQueryData(tripKeys.plan(id), p) });
  const make = useMutation({ mutationFn: () => tripsApi.makeMeetings(id) });
  const d = trip.data;
  const p = plan.data;
  const current = travellerId ?? d?.travellers[0]?.id ?? null;
  const n = (v: number) => formatNumber(v, i18n.language);

  if (!d) return <ErrorAlert error={trip.error} />;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>
          <bdi>{d.name}</bdi>
        </Title>
        <Text c="dimmed">{formatDayRange(d.startsOn, d.endsOn, i18n.language)}</Text>
      </div>
      <Group className={classes.noPrint} wrap="wrap">
        {canWrite && (
          <Button leftSection={<IconRoute size={16} aria-hidden />} loading={replan.isPending} onClick={() => replan.mutate()} data-testid="replan">
            {p?.plannedAt ? t('trips.plan.replan') : t('trips.plan.plan')}
          </Button>
        )}
        {canWrite && p?.items.length ? (
          <Button variant="light" leftSection={<IconUsersGroup size={16} aria-hidden />} loading={make.isPending} onClick={() => make.mutate()}>
            {t('trips.plan.makeMeetings')}
          </Button>
        ) : null}
        <Button variant="default" leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => window.print()}>
          {t('trips.plan.print')}
        </Button>
      </Group>
      <ErrorAlert error={replan.error ?? make.error ?? plan.error} />
      {make.data && <Alert color="teal">{t('trips.plan.meetingsMade', { n: n(make.data.created.length) })}</Alert>}
      {p?.objective && (
        <Text data-testid="objective">
          {t('trips.plan.summary', { held: n(p.items.filter((i) => !i.confidential).length), left: n(p.unplanned.length), travel: n(p.objective.travelMinutes) })}
        </Text>
      )}
      {!d.travellers.length ? (
        <Text>{t('trips.plan.noTravellers')}</Text>
      ) : (
        <>
          <Group align="flex-end" className={classes.noPrint} wrap="wrap">
            <Select
              label={t('trips.plan.traveller')}
              data={d.travellers.map((x) => ({ value: x.id, label: x.name }))}
              value={current}
              onChange={setTravellerId}
              allowDeselect={false}
              data-testid="traveller-select"
            />
            {current && (
              <Button component="a" variant="default" href={tripsApi.icsUrl(id, current)} download leftSection={<IconCalendarDown size={16} aria-hidden />} data-testid="ics">
                {t('trips.plan.ics')}
              </Button>
            )}
          </Group>
          {current && p && <Week trip={d} plan={p} travellerId={current} canWrite={canWrite} onChanged={refresh} />}
        </>
      )}
      {p && p.unplanned.length > 0 && <Unplanned trip={d} plan={p} />}
      {canWrite && (
        <section aria-label={t('trips.records.section')} className={classes.noPrint}>
          <TripRecords trip={d} />
        </section>
      )}
    </Stack>
  );
}

function useNames(trip: TripDetail) {
  return useMemo(() => {
    const places = new Map(trip.places.map((x) => [x.id, x.name]));
    const people = new Map<string, string>();
    for (const x of trip.travellers) people.set(x.id, x.name);
    for (const r of trip.requests) for (const pp of r.people) people.set(pp.id, pp.name);
    for (const r of trip.rules) if (r.personId && r.personName) people.set(r.personId, r.personName);
    const requests = new Map(trip.requests.map((r) => [r.id, r.title]));
    return { places, people, requests };
  }, [trip]);
}

function holidayName(h: TripPlan['days'][number]['holidays'][number], lang: string, t: (k: string) => string): string {
  if (h.calendar === 'jewish' && h.names) return lang === 'he' ? h.names.he : h.names.en;
  return t(`trips.holiday.${h.key}`);
}

function Week({ trip, plan, travellerId, canWrite, onChanged }: { trip: TripDetail; plan: TripPlan; travellerId: string; canWrite: boolean; onChanged: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const names = useNames(trip);
  const tz = trip.timeZone;
  const span = (a: string, b: string) => formatTimeRange(a, b, i18n.language, tz);
  const entries: Entry[] = [
    ...plan.items.filter((i) => i.travellerIds.includes(travellerId)).map((item) => ({ kind: 'item' as const, at: item.startsAt, end: item.endsAt, item })),
    ...plan.legs.filter((l) => l.travellerId === travellerId).map((l) => ({ kind: 'leg' as const, at: l.departAt, end: l.arriveAt, to: l.toPlaceId })),
    ...plan.fixedItems.filter((f) => f.travellerIds.includes(travellerId)).map((f) => ({ kind: 'fixed' as const, at: f.startsAt, end: f.endsAt, title: f.title, placeId: f.placeId })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const byDay = new Map<string, Entry[]>();
  for (const e of entries) {
    const k = localDate(e.at, tz);
    byDay.set(k, [...(byDay.get(k) ?? []), e]);
  }
  const render = (e: Entry, i: number) => {
    if (e.kind === 'leg')
      return (
        <div key={i} className={classes.leg}>
          {span(e.at, e.end)} · {e.to ? t('trips.plan.travelTo', { place: names.places.get(e.to) ?? '' }) : t('trips.plan.travel')}
        </div>
      );
    if (e.kind === 'fixed')
      return (
        <div key={i} className={classes.fixed}>
          <Text size="sm" fw={600}>
            {span(e.at, e.end)} <bdi>{e.title}</bdi>
          </Text>
          <Text size="xs" c="dimmed">
            <bdi>{names.places.get(e.placeId)}</bdi>
          </Text>
        </div>
      );
    const it = e.item;
    // pinned since the plan was made, or pinned in it
    const pinned = it.pinned || !!trip.requests.find((r) => r.id === it.requestId)?.pin;
    return (
      <div key={i} className={`${classes.entry} ${it.confidential ? classes.confidential : ''}`} data-testid="plan-item">
        <Text size="sm" fw={600}>
          {span(it.startsAt, it.endsAt)} {it.confidential ? t('trips.plan.confidential') : <bdi>{it.title}</bdi>}
        </Text>
        {it.placeId && (
          <Text size="xs" c="dimmed">
            <bdi>{names.places.get(it.placeId)}</bdi>
          </Text>
        )}
        {it.travellerIds.length > 1 && (
          <Text size="xs" c="dimmed">
            {it.travellerIds.map((x) => names.people.get(x) ?? '').join(', ')}
          </Text>
        )}
        {pinned && (
          <Badge size="xs" variant="light" leftSection={<IconPin size={10} aria-hidden />}>
            {t('trips.plan.pinned')}
          </Badge>
        )}
        {canWrite && it.requestId && <ItemActions trip={trip} item={it} pinned={pinned} onChanged={onChanged} />}
      </div>
    );
  };
  const days = plan.days;
  const weekend = trip.travellers.find((x) => x.id === travellerId)?.weekend;
  const isWeekend = (date: string) => {
    const w = new Date(`${date}T12:00:00Z`).getUTCDay();
    return weekend === 'fri_sat' ? w === 5 || w === 6 : weekend === 'sat_sun' ? w === 6 || w === 0 : false;
  };
  return (
    <>
      <section aria-label={t('trips.plan.week')}>
        <div className={classes.week} style={{ ['--days' as string]: String(days.length) }} data-testid="week">
          {days.map((day) => {
            const off = day.holidays.some((h) => h.dayOff) || isWeekend(day.date);
            return (
              <div key={day.date} className={`${classes.day} ${off ? classes.dayOff : ''}`}>
                <Text fw={700} size="sm">
                  {formatWeekday(day.date, i18n.language)}
                </Text>
                {isWeekend(day.date) && (
                  <Badge size="xs" variant="light" color="gray" display="block" my={2}>
                    {t('trips.plan.weekend')}
                  </Badge>
                )}
                {day.holidays.map((h) => (
                  <Badge key={h.calendar + h.key} size="xs" variant="outline" color={off ? 'grape' : 'gray'} display="block" my={2}>
                    {holidayName(h, i18n.language, t)}
                  </Badge>
                ))}
                {(byDay.get(day.date) ?? []).map(render)}
              </div>
            );
          })}
        </div>
      </section>
    </>
  );
}

function ItemActions({ trip, item, pinned, onChanged }: { trip: TripDetail; item: PlanItem; pinned: boolean; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const [moving, setMoving] = useState(false);
  const [placeId, setPlaceId] = useState<string | null>(item.placeId);
  const [local, setLocal] = useState(() => {
    const f = new Intl.DateTimeFormat('sv-SE', { timeZone: trip.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    return f.format(new Date(item.startsAt)).replace(' ', 'T');
  });
  const [result, setResult] = useState<PinResult | null>(null);
  const pin = useMutation({
    mutationFn: (body: { placeId: string; startsAt: string }) => tripsApi.pin(trip.id, item.requestId!, { ...body, travellerIds: item.travellerIds }),
    onSuccess: async (r) => {
      setResult(r);
      await onChanged();
    },
  });
  const unpin = useMutation({ mutationFn: () => tripsApi.unpin(trip.id, item.requestId!), onSuccess: onChanged });
  return (
    <Stack gap={4} mt={4} className={classes.noPrint}>
      <Group gap={4}>
        {pinned ? (
          <Button size="compact-xs" variant="subtle" leftSection={<IconPinnedOff size={12} aria-hidden />} onClick={() => unpin.mutate()}>
            {t('trips.plan.unpin')}
          </Button>
        ) : (
          <Button size="compact-xs" variant="subtle" leftSection={<IconPin size={12} aria-hidden />} onClick={() => pin.mutate({ placeId: item.placeId!, startsAt: item.startsAt })}>
            {t('trips.plan.pin')}
          </Button>
        )}
        <Button size="compact-xs" variant="subtle" onClick={() => setMoving((m) => !m)} aria-expanded={moving}>
          {t('trips.plan.move')}
        </Button>
      </Group>
      {moving && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (placeId) pin.mutate({ placeId, startsAt: zonedLocalToIso(local, trip.timeZone) });
          }}
        >
          <Stack gap={4}>
            <Select size="xs" label={t('trips.plan.place')} data={trip.places.map((x) => ({ value: x.id, label: x.name }))} value={placeId} onChange={setPlaceId} allowDeselect={false} />
            <TextInput size="xs" type="datetime-local" label={t('trips.plan.startsAt')} value={local} onChange={(e) => setLocal(e.currentTarget.value)} />
            <Button size="compact-xs" type="submit" loading={pin.isPending}>
              {t('trips.plan.moveHere')}
            </Button>
          </Stack>
        </form>
      )}
      <ErrorAlert error={pin.error ?? unpin.error} />
      {result && result.breaks.length > 0 && (
        <Alert color="orange" p="xs" title={t('trips.plan.breaks')}>
          <List size="xs">
            {result.breaks.map((b, i) => (
              <List.Item key={i}>{t(`trips.break.${b.kind}`)}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}

function Unplanned({ trip, plan }: { trip: TripDetail; plan: TripPlan }) {
  const { t, i18n } = useTranslation();
  const names = useNames(trip);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="unplanned">
      <Title order={2} size="h3" id="unplanned">
        {t('trips.plan.unplanned')}
      </Title>
      <List mt="sm" spacing="xs">
        {plan.unplanned.map((u) => (
          <List.Item key={u.requestId} data-testid="unplanned">
            <bdi>{u.title}</bdi>:{' '}
            {u.reasons
              .map((r) => {
                const x = r as { kind: string; personId?: string; date?: string; requestId?: string | null };
                return t(`trips.reason.${x.kind}`, {
                  person: x.personId ? (names.people.get(x.personId) ?? t('trips.plan.someone')) : '',
                  date: x.date ? formatWeekday(x.date, i18n.language) : '',
                  request: x.requestId ? (names.requests.get(x.requestId) ?? t('trips.plan.confidential')) : t('trips.plan.confidential'),
                });
              })
              .filter((s, i, all) => all.indexOf(s) === i)
              .slice(0, 3)
              .join('; ')}
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}

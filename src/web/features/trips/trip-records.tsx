import { Accordion, Badge, Button, Checkbox, Divider, Group, List, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { formatDateTime, formatNumber, formatWeekday, zonedLocalToIso } from '../../format.ts';
import { RemoteMultiSelect } from '../meetings/pickers.tsx';
import { PersonSelect, StaffSelect } from '../network/network-ui.tsx';
import { tripKeys, tripsApi, type RemovableKind, type TripDetail, type TripRequest } from './trips.api.ts';

// The trip's records, listed with what changes or removes each, and the forms that add to them: places, travellers
// (with bases per night), travel times and extras, fixed items, access rules with their permits, meeting requests
// (changed, removed, shared with a user when need-to-know).

function useAdd<B>(tripId: string, send: (body: B) => Promise<unknown>, reset: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async () => {
      reset();
      await queryClient.invalidateQueries({ queryKey: tripKeys.one(tripId) });
    },
  });
}

function Form({ onSubmit, pending, error, label, children, extra, name }: { onSubmit: () => void; pending: boolean; error: unknown; label: string; children: ReactNode; extra?: ReactNode; name?: string }) {
  return (
    <form
      aria-label={name}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Stack gap="sm">
        {children}
        <ErrorAlert error={error} />
        <Group>
          <Button type="submit" loading={pending}>
            {label}
          </Button>
          {extra}
        </Group>
      </Stack>
    </form>
  );
}

const num = (v: string | number) => (v === '' ? null : Number(v));

const minutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** An instant as the value of a datetime-local input in the trip's zone. */
function zonedLocal(iso: string, timeZone: string): string {
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  return f.format(new Date(iso)).replace(' ', 'T');
}

/** The days of a trip, YYYY-MM-DD. */
function tripDays(trip: TripDetail): string[] {
  const out: string[] = [];
  for (let d = new Date(`${trip.startsOn}T12:00:00Z`); d.toISOString().slice(0, 10) <= trip.endsOn; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}

/** A small button's name: its visible word first (so that voice control finds it), then what it acts on. */
const named = (visible: string, what: string) => `${visible}: ${what}`;

/** A button that removes one record of the trip (named for screen readers). */
function Remove({ trip, kind, id, what }: { trip: TripDetail; kind: RemovableKind; id: string; what: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => tripsApi.remove(trip.id, kind, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tripKeys.one(trip.id) }),
  });
  return (
    <>
      <Button size="compact-xs" variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate()} aria-label={named(t('trips.records.remove'), what)}>
        {t('trips.records.remove')}
      </Button>
      <ErrorAlert error={remove.error} />
    </>
  );
}

/** One record in a list: what it is, and what may be done with it. */
function Row({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start" className="trip-record-row">
      <div style={{ minInlineSize: 0 }}>{children}</div>
      <Group gap={4} wrap="nowrap">
        {actions}
      </Group>
    </Group>
  );
}

function PlaceForm({ trip, initial, onDone }: { trip: TripDetail; initial?: TripDetail['places'][number]; onDone?: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(initial?.name ?? '');
  const [kind, setKind] = useState<'venue' | 'ours' | 'online'>((initial?.kind as 'venue' | 'ours' | 'online') ?? 'venue');
  const [lat, setLat] = useState<number | null>(initial?.lat ?? null);
  const [lon, setLon] = useState<number | null>(initial?.lon ?? null);
  const [area, setArea] = useState(initial?.area ?? '');
  const add = useAdd(
    trip.id,
    (b: Parameters<typeof tripsApi.addPlace>[1]) => (initial ? tripsApi.updatePlace(trip.id, initial.id, b) : tripsApi.addPlace(trip.id, b)),
    () => (initial ? onDone?.() : (setName(''), setLat(null), setLon(null))),
  );
  return (
    <Form
      name={initial ? t('trips.records.editWhat', { what: initial.name }) : undefined}
      label={initial ? t('trips.records.save') : t('trips.records.add')}
      pending={add.isPending}
      error={add.error}
      extra={
        initial && (
          <Button variant="default" onClick={onDone}>
            {t('trips.records.cancel')}
          </Button>
        )
      }
      onSubmit={() => add.mutate({ name, kind, lat, lon, area: area.trim() || null })}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('trips.records.placeName')} value={name} onChange={(e) => setName(e.currentTarget.value)} required dir="auto" error={fieldError(t, add.error, 'name')} />
        <Select label={t('trips.records.kind')} data={(['venue', 'ours', 'online'] as const).map((k) => ({ value: k, label: t(`trips.records.kinds.${k}`) }))} value={kind} onChange={(v) => v && setKind(v as typeof kind)} allowDeselect={false} />
        <NumberInput label={t('trips.records.lat')} value={lat ?? ''} onChange={(v) => setLat(num(v))} decimalScale={6} min={-90} max={90} error={fieldError(t, add.error, 'lat')} />
        <NumberInput label={t('trips.records.lon')} value={lon ?? ''} onChange={(v) => setLon(num(v))} decimalScale={6} min={-180} max={180} error={fieldError(t, add.error, 'lon')} />
        <TextInput label={t('trips.records.area')} description={t('trips.records.areaHint')} value={area} onChange={(e) => setArea(e.currentTarget.value)} dir="auto" />
      </SimpleGrid>
    </Form>
  );
}

/** A place in the list: change it or remove it. */
function PlaceRow({ trip, place }: { trip: TripDetail; place: TripDetail['places'][number] }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  if (editing) return <PlaceForm trip={trip} initial={place} onDone={() => setEditing(false)} />;
  return (
    <Row
      actions={
        <>
          <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)} aria-label={named(t('trips.records.edit'), place.name)}>
            {t('trips.records.edit')}
          </Button>
          <Remove trip={trip} kind="places" id={place.id} what={place.name} />
        </>
      }
    >
      <Text size="sm">
        <bdi>{place.name}</bdi>
        {place.area && (
          <Text span c="dimmed" size="xs">
            {' '}
            · <bdi>{place.area}</bdi>
          </Text>
        )}
      </Text>
    </Row>
  );
}

function TravellerForm({ trip }: { trip: TripDetail }) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState<string | null>(null);
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('19:00');
  const [weekend, setWeekend] = useState<'fri_sat' | 'sat_sun' | 'none'>('fri_sat');
  const [holidays, setHolidays] = useState<string[]>([]);
  const [base, setBase] = useState<string | null>(null);
  const add = useAdd(trip.id, (b: Parameters<typeof tripsApi.addTraveller>[1]) => tripsApi.addTraveller(trip.id, b), () => setUserId(null));
  return (
    <Form
      label={t('trips.records.add')}
      pending={add.isPending}
      error={add.error}
      onSubmit={() => userId && add.mutate({ userId, workFrom: minutes(from), workTo: minutes(to), weekend, holidays: holidays as never, basePlaceId: base })}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <StaffSelect label={t('trips.records.staff')} value={userId} onChange={setUserId} exclude={trip.travellers.map((x) => x.userId)} error={fieldError(t, add.error, 'userId')} />
        <Select label={t('trips.records.base')} data={trip.places.filter((p) => p.kind !== 'online').map((p) => ({ value: p.id, label: p.name }))} value={base} onChange={setBase} clearable />
        <TextInput type="time" label={t('trips.records.workFrom')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="time" label={t('trips.records.workTo')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={fieldError(t, add.error, 'workTo')} />
        <Select label={t('trips.records.weekend')} data={(['fri_sat', 'sat_sun', 'none'] as const).map((k) => ({ value: k, label: t(`trips.records.weekends.${k}`) }))} value={weekend} onChange={(v) => v && setWeekend(v as typeof weekend)} allowDeselect={false} />
        <MultiSelect label={t('trips.records.holidays')} data={['jewish', 'muslim', 'christian_western', 'christian_orthodox'].map((k) => ({ value: k, label: t(`trips.records.calendars.${k}`) }))} value={holidays} onChange={setHolidays} />
      </SimpleGrid>
    </Form>
  );
}

function RuleForm({ trip }: { trip: TripDetail }) {
  const { t } = useTranslation();
  const [travellerId, setTravellerId] = useState<string | null>(null);
  const [personId, setPersonId] = useState<string | null>(null);
  const [area, setArea] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const areas = [...new Set(trip.places.map((p) => p.area).filter((a): a is string => !!a))];
  const add = useAdd(trip.id, (b: Parameters<typeof tripsApi.addRule>[1]) => tripsApi.addRule(trip.id, b), () => (setTravellerId(null), setPersonId(null), setFrom(''), setTo('')));
  return (
    <Form
      label={t('trips.records.add')}
      pending={add.isPending}
      error={add.error}
      onSubmit={() => add.mutate({ ...(travellerId ? { travellerId } : {}), ...(personId ? { personId } : {}), area, permits: from && to ? [{ validFrom: from, validTo: to }] : [] })}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label={t('trips.records.traveller')} data={trip.travellers.map((x) => ({ value: x.id, label: x.name }))} value={travellerId} onChange={(v) => (setTravellerId(v), v && setPersonId(null))} clearable />
        <PersonSelect label={t('trips.records.counterpart')} value={personId} onChange={(v) => (setPersonId(v), v && setTravellerId(null))} error={fieldError(t, add.error, 'personId')} />
        <Select label={t('trips.records.area')} data={areas} value={area || null} onChange={(v) => setArea(v ?? '')} error={fieldError(t, add.error, 'area')} />
        <div />
        <TextInput type="date" label={t('trips.records.permitFrom')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label={t('trips.records.permitTo')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={fieldError(t, add.error, 'permits.0.validTo')} />
      </SimpleGrid>
    </Form>
  );
}

function RequestForm({ trip, initial, onDone }: { trip: TripDetail; initial?: TripRequest; onDone?: () => void }) {
  const { t } = useTranslation();
  const tz = trip.timeZone;
  const [title, setTitle] = useState(initial?.title ?? '');
  const [duration, setDuration] = useState<number>(initial?.durationMinutes ?? 60);
  const [priority, setPriority] = useState<number>(initial?.priority ?? 5);
  const [format, setFormat] = useState<'group' | 'one_on_one'>((initial?.format as 'group' | 'one_on_one') ?? 'one_on_one');
  const [orgs, setOrgs] = useState<string[]>(initial?.organisations.map((o) => o.id) ?? []);
  const [people, setPeople] = useState<string[]>(initial?.people.map((o) => o.id) ?? []);
  const [known, setKnown] = useState<Record<string, string>>(() => Object.fromEntries([...(initial?.organisations ?? []), ...(initial?.people ?? [])].map((x) => [x.id, x.name])));
  const [must, setMust] = useState<string[]>(initial?.travellers.filter((x) => x.must).map((x) => x.travellerId) ?? []);
  const [may, setMay] = useState<string[]>(initial?.travellers.filter((x) => !x.must).map((x) => x.travellerId) ?? []);
  const [places, setPlaces] = useState<string[]>(initial?.placeIds ?? []);
  const [theirs, setTheirs] = useState(initial?.allowTheirOffice ?? true);
  const [ours, setOurs] = useState(initial?.allowOurs ?? false);
  const [online, setOnline] = useState(initial?.allowOnline ?? false);
  const w0 = initial?.windows[0];
  const [from, setFrom] = useState(w0 ? zonedLocal(w0.startsAt, tz) : '');
  const [to, setTo] = useState(w0 ? zonedLocal(w0.endsAt, tz) : '');
  // a request with several windows keeps them unless the one shown here is changed
  const [windowTouched, setWindowTouched] = useState(false);
  const [restricted, setRestricted] = useState(initial?.restricted ?? false);
  const travellers = trip.travellers.map((x) => ({ value: x.id, label: x.name }));
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (b: Parameters<typeof tripsApi.addRequest>[1]) => (initial ? tripsApi.updateRequest(trip.id, initial.id, b) : tripsApi.addRequest(trip.id, b)),
    onSuccess: async () => {
      if (!initial) (setTitle(''), setOrgs([]), setPeople([]));
      await queryClient.invalidateQueries({ queryKey: tripKeys.one(trip.id) });
      onDone?.();
    },
  });
  const windows = from && to ? [{ startsAt: zonedLocalToIso(from, tz), endsAt: zonedLocalToIso(to, tz) }] : [];
  return (
    <Form
      name={initial ? t('trips.records.editWhat', { what: initial.title }) : undefined}
      label={initial ? t('trips.records.save') : t('trips.records.add')}
      pending={save.isPending}
      error={save.error}
      extra={
        initial && (
          <Button variant="default" onClick={onDone}>
            {t('trips.records.cancel')}
          </Button>
        )
      }
      onSubmit={() =>
        save.mutate({
          title,
          durationMinutes: duration,
          priority,
          format,
          organisationIds: orgs,
          personIds: people,
          travellers: [...must.map((id) => ({ travellerId: id, must: true })), ...may.filter((id) => !must.includes(id)).map((id) => ({ travellerId: id, must: false }))],
          placeIds: places,
          allowTheirOffice: theirs,
          allowOurs: ours,
          allowOnline: online,
          windows: initial && !windowTouched && initial.windows.length > 1 ? initial.windows : windows,
          restricted,
        })
      }
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('trips.records.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required dir="auto" error={fieldError(t, save.error, 'title')} />
        <Select label={t('trips.records.format')} data={(['one_on_one', 'group'] as const).map((k) => ({ value: k, label: t(`trips.records.formats.${k}`) }))} value={format} onChange={(v) => v && setFormat(v as typeof format)} allowDeselect={false} />
        <NumberInput label={t('trips.records.duration')} value={duration} onChange={(v) => setDuration(Number(v) || 0)} min={5} max={720} step={15} error={fieldError(t, save.error, 'durationMinutes')} />
        <NumberInput label={t('trips.records.priority')} value={priority} onChange={(v) => setPriority(Number(v) || 1)} min={1} max={10} />
        <RemoteMultiSelect kind="organisations" label={t('trips.records.organisations')} value={orgs} known={known} onChange={(ids, labels) => (setOrgs(ids), setKnown({ ...known, ...labels }))} />
        <RemoteMultiSelect kind="people" label={t('trips.records.people')} value={people} known={known} onChange={(ids, labels) => (setPeople(ids), setKnown({ ...known, ...labels }))} error={fieldError(t, save.error, 'personIds.0')} />
        <MultiSelect label={t('trips.records.must')} data={travellers} value={must} onChange={setMust} error={fieldError(t, save.error, 'travellers')} />
        <MultiSelect label={t('trips.records.may')} data={travellers} value={may} onChange={setMay} />
        <MultiSelect label={t('trips.records.places')} data={trip.places.map((p) => ({ value: p.id, label: p.name }))} value={places} onChange={setPlaces} error={fieldError(t, save.error, 'placeIds')} />
        <Stack gap={4} justify="flex-end">
          <Checkbox label={t('trips.records.theirs')} checked={theirs} onChange={(e) => setTheirs(e.currentTarget.checked)} />
          <Checkbox label={t('trips.records.ours')} checked={ours} onChange={(e) => setOurs(e.currentTarget.checked)} />
          <Checkbox label={t('trips.records.online')} checked={online} onChange={(e) => setOnline(e.currentTarget.checked)} />
        </Stack>
        <TextInput type="datetime-local" label={t('trips.records.availableFrom')} value={from} onChange={(e) => (setFrom(e.currentTarget.value), setWindowTouched(true))} />
        <TextInput type="datetime-local" label={t('trips.records.availableTo')} value={to} onChange={(e) => (setTo(e.currentTarget.value), setWindowTouched(true))} error={fieldError(t, save.error, 'windows.0.endsAt')} />
        <Checkbox label={t('trips.records.restricted')} description={t('trips.records.restrictedHint')} checked={restricted} onChange={(e) => setRestricted(e.currentTarget.checked)} />
      </SimpleGrid>
    </Form>
  );
}

/** A request in the list: change it, remove it, share it (need-to-know) with a user. */
function RequestRow({ trip, request }: { trip: TripDetail; request: TripRequest }) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [sharing, setSharing] = useState(false);
  const n = (v: number) => formatNumber(v, i18n.language);
  if (editing) return <RequestForm trip={trip} initial={request} onDone={() => setEditing(false)} />;
  return (
    <div data-testid="request-row">
      <Row
        actions={
          <>
            <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)} aria-label={named(t('trips.records.edit'), request.title)}>
              {t('trips.records.edit')}
            </Button>
            {request.restricted && (
              <Button size="compact-xs" variant="subtle" onClick={() => setSharing((v) => !v)} aria-expanded={sharing} aria-label={named(t('trips.records.share'), request.title)}>
                {t('trips.records.share')}
              </Button>
            )}
            <Remove trip={trip} kind="requests" id={request.id} what={request.title} />
          </>
        }
      >
        <Text size="sm" fw={600}>
          <bdi>{request.title}</bdi>{' '}
          {request.restricted && (
            <Badge size="xs" variant="light" color="grape">
              {t('trips.records.restricted')}
            </Badge>
          )}
        </Text>
        <Text size="xs" c="dimmed">
          {t('trips.records.requestLine', { minutes: n(request.durationMinutes), priority: n(request.priority) })}
          {[...request.organisations, ...request.people].length > 0 && ' · '}
          <bdi>{[...request.organisations, ...request.people].map((x) => x.name).join(', ')}</bdi>
        </Text>
      </Row>
      {sharing && <Grants trip={trip} request={request} />}
    </div>
  );
}

function Grants({ trip, request }: { trip: TripDetail; request: TripRequest }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = tripKeys.grants(trip.id, request.id);
  const list = useQuery({ queryKey: key, queryFn: () => tripsApi.grants(trip.id, request.id) });
  const [userId, setUserId] = useState<string | null>(null);
  const grant = useMutation({ mutationFn: (u: string) => tripsApi.grant(trip.id, request.id, u), onSuccess: () => (setUserId(null), queryClient.invalidateQueries({ queryKey: key })) });
  const revoke = useMutation({ mutationFn: (u: string) => tripsApi.revoke(trip.id, request.id, u), onSuccess: () => queryClient.invalidateQueries({ queryKey: key }) });
  return (
    <Paper withBorder p="xs" my={4}>
      <Text size="sm" fw={600}>
        {t('trips.records.sharedWith')}
      </Text>
      {list.data && !list.data.items.length && (
        <Text size="sm" c="dimmed">
          {t('trips.records.notShared')}
        </Text>
      )}
      <List size="sm">
        {list.data?.items.map((g) => (
          <List.Item key={g.userId}>
            <Row
              actions={
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => revoke.mutate(g.userId)} aria-label={named(t('trips.records.remove'), g.name)}>
                  {t('trips.records.remove')}
                </Button>
              }
            >
              <bdi>{g.name}</bdi>
            </Row>
          </List.Item>
        ))}
      </List>
      <Form name={t('trips.records.shareWhat', { what: request.title })} label={t('trips.records.share')} pending={grant.isPending} error={grant.error ?? revoke.error ?? list.error} onSubmit={() => userId && grant.mutate(userId)}>
        <StaffSelect label={t('trips.records.shareWith')} value={userId} onChange={setUserId} exclude={list.data?.items.map((g) => g.userId)} error={fieldError(t, grant.error, 'userId')} />
      </Form>
    </Paper>
  );
}

/** A traveller: hours and weekend; the base of each night (where the next day starts and that day ends). */
function TravellerRow({ trip, traveller }: { trip: TripDetail; traveller: TripDetail['travellers'][number] }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const places = trip.places.filter((p) => p.kind !== 'online').map((p) => ({ value: p.id, label: p.name }));
  const [nights, setNights] = useState<Record<string, string | null>>(() => Object.fromEntries(traveller.nights.map((x) => [x.night, x.placeId])));
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      tripsApi.updateTraveller(trip.id, traveller.id, {
        nights: Object.entries(nights)
          .filter((e): e is [string, string] => !!e[1])
          .map(([night, placeId]) => ({ night, placeId })),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: tripKeys.one(trip.id) });
      setOpen(false);
    },
  });
  const base = trip.places.find((p) => p.id === traveller.basePlaceId)?.name;
  return (
    <div data-testid="traveller-row">
      <Row
        actions={
          <>
            <Button size="compact-xs" variant="subtle" onClick={() => setOpen((v) => !v)} aria-expanded={open} aria-label={named(t('trips.records.nights'), traveller.name)}>
              {t('trips.records.nights')}
            </Button>
            <Remove trip={trip} kind="travellers" id={traveller.id} what={traveller.name} />
          </>
        }
      >
        <Text size="sm" fw={600}>
          <bdi>{traveller.name}</bdi>
        </Text>
        <Text size="xs" c="dimmed">
          <span dir="ltr">
            {hhmm(traveller.workFrom)}–{hhmm(traveller.workTo)}
          </span>{' '}
          · {t(`trips.records.weekends.${traveller.weekend}`)}
          {base && (
            <>
              {' '}
              · <bdi>{base}</bdi>
            </>
          )}
          {traveller.nights.length > 0 && <> · {t('trips.records.nightsSet', { count: traveller.nights.length, n: formatNumber(traveller.nights.length, i18n.language) })}</>}
        </Text>
      </Row>
      {open && (
        <Form name={t('trips.records.nightsOf', { name: traveller.name })} label={t('trips.records.save')} pending={save.isPending} error={save.error} onSubmit={() => save.mutate()}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {tripDays(trip).map((day) => (
              <Select
                key={day}
                label={t('trips.records.nightOf', { day: formatWeekday(day, i18n.language) })}
                placeholder={base ?? ''}
                data={places}
                value={nights[day] ?? null}
                onChange={(v) => setNights({ ...nights, [day]: v })}
                clearable
              />
            ))}
          </SimpleGrid>
        </Form>
      )}
    </div>
  );
}

function OverrideForm({ trip }: { trip: TripDetail }) {
  const { t } = useTranslation();
  const places = trip.places.filter((p) => p.kind !== 'online').map((p) => ({ value: p.id, label: p.name }));
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [mode, setMode] = useState<'car' | 'foot'>('car');
  const [mins, setMins] = useState<number>(30);
  const [both, setBoth] = useState(true);
  const add = useAdd(trip.id, (b: Parameters<typeof tripsApi.addOverride>[1]) => tripsApi.addOverride(trip.id, b), () => (setFrom(null), setTo(null)));
  return (
    <Form name={t('trips.records.overrides')} label={t('trips.records.add')} pending={add.isPending} error={add.error} onSubmit={() => from && to && add.mutate({ fromPlaceId: from, toPlaceId: to, mode, minutes: mins, symmetric: both })}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label={t('trips.records.from')} data={places} value={from} onChange={setFrom} required error={fieldError(t, add.error, 'fromPlaceId')} />
        <Select label={t('trips.records.to')} data={places} value={to} onChange={setTo} required error={fieldError(t, add.error, 'toPlaceId')} />
        <Select label={t('trips.records.mode')} data={(['car', 'foot'] as const).map((k) => ({ value: k, label: t(`trips.records.modes.${k}`) }))} value={mode} onChange={(v) => v && setMode(v as typeof mode)} allowDeselect={false} />
        <NumberInput label={t('trips.records.minutes')} value={mins} onChange={(v) => setMins(Number(v) || 0)} min={0} max={1440} error={fieldError(t, add.error, 'minutes')} />
        <Checkbox label={t('trips.records.bothWays')} checked={both} onChange={(e) => setBoth(e.currentTarget.checked)} />
      </SimpleGrid>
    </Form>
  );
}

function ExtraForm({ trip }: { trip: TripDetail }) {
  const { t } = useTranslation();
  const areas = [...new Set(trip.places.map((p) => p.area).filter((a): a is string => !!a))];
  const [label, setLabel] = useState('');
  const [a, setA] = useState<string | null>(null);
  const [b, setB] = useState<string | null>(null);
  const [mins, setMins] = useState<number>(30);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const add = useAdd(trip.id, (x: Parameters<typeof tripsApi.addExtra>[1]) => tripsApi.addExtra(trip.id, x), () => (setLabel(''), setFrom(''), setTo('')));
  return (
    <Form
      name={t('trips.records.extras')}
      label={t('trips.records.add')}
      pending={add.isPending}
      error={add.error}
      onSubmit={() => a && b && add.mutate({ label, areaA: a, areaB: b, extraMinutes: mins, fromMinute: from ? minutes(from) : null, toMinute: to ? minutes(to) : null })}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('trips.records.label')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} required dir="auto" error={fieldError(t, add.error, 'label')} />
        <NumberInput label={t('trips.records.extraMinutes')} value={mins} onChange={(v) => setMins(Number(v) || 0)} min={0} max={600} error={fieldError(t, add.error, 'extraMinutes')} />
        <Select label={t('trips.records.area')} data={areas} value={a} onChange={setA} required error={fieldError(t, add.error, 'areaA')} />
        <Select label={t('trips.records.otherArea')} data={areas} value={b} onChange={setB} required error={fieldError(t, add.error, 'areaB')} />
        <TextInput type="time" label={t('trips.records.departFrom')} description={t('trips.records.allDayHint')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={fieldError(t, add.error, 'fromMinute')} />
        <TextInput type="time" label={t('trips.records.departTo')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={fieldError(t, add.error, 'toMinute')} />
      </SimpleGrid>
    </Form>
  );
}

function TravelSection({ trip }: { trip: TripDetail }) {
  const { t, i18n } = useTranslation();
  const name = (id: string) => trip.places.find((p) => p.id === id)?.name ?? '';
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        {t('trips.records.overrides')}
      </Title>
      {trip.overrides.map((o) => (
        <Row key={o.id} actions={<Remove trip={trip} kind="travel-overrides" id={o.id} what={`${name(o.fromPlaceId)} – ${name(o.toPlaceId)}`} />}>
          <Text size="sm">
            <bdi>{name(o.fromPlaceId)}</bdi> {o.symmetric ? '↔' : i18n.dir() === 'rtl' ? '←' : '→'} <bdi>{name(o.toPlaceId)}</bdi>: {t('trips.records.minutesBy', { n: n(o.minutes), mode: t(`trips.records.modes.${o.mode}`) })}
          </Text>
        </Row>
      ))}
      <OverrideForm trip={trip} />
      <Divider />
      <Title order={3} size="h5">
        {t('trips.records.extras')}
      </Title>
      {trip.extras.map((x) => (
        <Row key={x.id} actions={<Remove trip={trip} kind="travel-extras" id={x.id} what={x.label} />}>
          <Text size="sm" fw={600}>
            <bdi>{x.label}</bdi>
          </Text>
          <Text size="xs" c="dimmed">
            <bdi>{x.areaA}</bdi> ↔ <bdi>{x.areaB}</bdi> · {t('trips.records.plusMinutes', { n: n(x.extraMinutes) })} ·{' '}
            {x.fromMinute != null && x.toMinute != null ? (
              <span dir="ltr">
                {hhmm(x.fromMinute)}–{hhmm(x.toMinute)}
              </span>
            ) : (
              t('trips.records.allDay')
            )}
          </Text>
        </Row>
      ))}
      <ExtraForm trip={trip} />
    </Stack>
  );
}

function FixedSection({ trip }: { trip: TripDetail }) {
  const { t, i18n } = useTranslation();
  const tz = trip.timeZone;
  const [title, setTitle] = useState('');
  const [placeId, setPlaceId] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [who, setWho] = useState<string[]>([]);
  const add = useAdd(trip.id, (b: Parameters<typeof tripsApi.addFixedItem>[1]) => tripsApi.addFixedItem(trip.id, b), () => (setTitle(''), setWho([])));
  const names = (ids: string[]) => ids.map((id, i) => (
    <span key={id}>
      {i > 0 && ', '}
      <bdi>{trip.travellers.find((x) => x.id === id)?.name ?? ''}</bdi>
    </span>
  ));
  return (
    <Stack gap="sm">
      {trip.fixedItems.map((f) => (
        <Row key={f.id} actions={<Remove trip={trip} kind="fixed-items" id={f.id} what={f.title} />}>
          <Text size="sm" fw={600}>
            <bdi>{f.title}</bdi>
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(f.startsAt, i18n.language, tz)} · <bdi>{trip.places.find((p) => p.id === f.placeId)?.name}</bdi> · {names(f.travellerIds)}
          </Text>
        </Row>
      ))}
      <Form
        name={t('trips.records.fixedNew')}
        label={t('trips.records.add')}
        pending={add.isPending}
        error={add.error}
        onSubmit={() => placeId && from && to && add.mutate({ title, placeId, startsAt: zonedLocalToIso(from, tz), endsAt: zonedLocalToIso(to, tz), travellerIds: who })}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('trips.records.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required dir="auto" error={fieldError(t, add.error, 'title')} />
          <Select label={t('trips.records.placeName')} data={trip.places.map((p) => ({ value: p.id, label: p.name }))} value={placeId} onChange={setPlaceId} required error={fieldError(t, add.error, 'placeId')} />
          <TextInput type="datetime-local" label={t('trips.records.startsAt')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} required />
          <TextInput type="datetime-local" label={t('trips.records.endsAt')} value={to} onChange={(e) => setTo(e.currentTarget.value)} required error={fieldError(t, add.error, 'endsAt')} />
          <MultiSelect label={t('trips.records.travellers')} data={trip.travellers.map((x) => ({ value: x.id, label: x.name }))} value={who} onChange={setWho} error={fieldError(t, add.error, 'travellerIds')} />
        </SimpleGrid>
      </Form>
    </Stack>
  );
}

function PermitForm({ trip, rule }: { trip: TripDetail; rule: TripDetail['rules'][number] }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const add = useAdd(trip.id, (b: Parameters<typeof tripsApi.addPermit>[2]) => tripsApi.addPermit(trip.id, rule.id, b), () => (setFrom(''), setTo('')));
  return (
    <Form name={t('trips.records.addPermit')} label={t('trips.records.addPermit')} pending={add.isPending} error={add.error} onSubmit={() => from && to && add.mutate({ validFrom: from, validTo: to })}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput type="date" label={t('trips.records.permitFrom')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} required />
        <TextInput type="date" label={t('trips.records.permitTo')} value={to} onChange={(e) => setTo(e.currentTarget.value)} required error={fieldError(t, add.error, 'validTo')} />
      </SimpleGrid>
    </Form>
  );
}

function RuleRow({ trip, rule }: { trip: TripDetail; rule: TripDetail['rules'][number] }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const who = rule.personName ?? trip.travellers.find((x) => x.id === rule.travellerId)?.name ?? '';
  const day = (d: string) => formatWeekday(d, i18n.language);
  return (
    <div data-testid="rule-row">
      <Row
        actions={
          <>
            <Button size="compact-xs" variant="subtle" onClick={() => setOpen((v) => !v)} aria-expanded={open} aria-label={named(t('trips.records.permits'), `${who}, ${rule.area}`)}>
              {t('trips.records.permits')}
            </Button>
            <Remove trip={trip} kind="access-rules" id={rule.id} what={`${who}: ${rule.area}`} />
          </>
        }
      >
        <Text size="sm">{t('trips.records.ruleLine', { who, area: rule.area })}</Text>
        <Text size="xs" c="dimmed">
          {rule.permits.length ? rule.permits.map((p) => (p.validFrom === p.validTo ? day(p.validFrom) : `${day(p.validFrom)} – ${day(p.validTo)}`)).join('; ') : t('trips.records.noPermit')}
        </Text>
      </Row>
      {open && (
        <Paper withBorder p="xs" my={4}>
          {rule.permits.map((p) => (
            <Row key={p.id} actions={<Remove trip={trip} kind="permits" id={p.id} what={`${day(p.validFrom)} – ${day(p.validTo)}`} />}>
              <Text size="sm">
                {day(p.validFrom)} – {day(p.validTo)}
              </Text>
            </Row>
          ))}
          <PermitForm trip={trip} rule={rule} />
        </Paper>
      )}
    </div>
  );
}

/** What the trip holds, listed with what changes or removes each, and the forms that add to it. */
export function TripRecords({ trip }: { trip: TripDetail }) {
  const { t } = useTranslation();
  const sections = [
    { key: 'places', n: trip.places.length, body: <>{trip.places.map((p) => <PlaceRow key={p.id} trip={trip} place={p} />)}</>, form: <PlaceForm trip={trip} /> },
    { key: 'travellers', n: trip.travellers.length, body: trip.travellers.map((x) => <TravellerRow key={x.id} trip={trip} traveller={x} />), form: <TravellerForm trip={trip} /> },
    { key: 'travel', n: trip.overrides.length + trip.extras.length, body: null, form: <TravelSection trip={trip} /> },
    { key: 'fixed', n: trip.fixedItems.length, body: null, form: <FixedSection trip={trip} /> },
    { key: 'rules', n: trip.rules.length, body: trip.rules.map((r) => <RuleRow key={r.id} trip={trip} rule={r} />), form: <RuleForm trip={trip} /> },
    { key: 'requests', n: trip.requests.length, body: trip.requests.map((r) => <RequestRow key={r.id} trip={trip} request={r} />), form: <RequestForm trip={trip} /> },
  ];
  return (
    <Accordion variant="separated" className="trip-records" multiple>
      {sections.map((s) => (
        <Accordion.Item key={s.key} value={s.key}>
          <Accordion.Control>
            <Text fw={600}>{t(`trips.records.count.${s.key}`, { count: s.n, n: s.n })}</Text>
          </Accordion.Control>
          <Accordion.Panel>
            <Stack gap="xs">
              {s.body}
              {s.body && <Divider />}
              {s.form}
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

import { Accordion, Button, Checkbox, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { zonedLocalToIso } from '../../format.ts';
import { RemoteMultiSelect } from '../meetings/pickers.tsx';
import { PersonSelect, StaffSelect } from '../network/network-ui.tsx';
import { tripKeys, tripsApi, type TripDetail } from './trips.api.ts';

// The forms that enter a trip's records: places, travellers, access rules with a permit, meeting requests.

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

function Form({ onSubmit, pending, error, label, children }: { onSubmit: () => void; pending: boolean; error: unknown; label: string; children: ReactNode }) {
  return (
    <form
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
        </Group>
      </Stack>
    </form>
  );
}

const num = (v: string | number) => (v === '' ? null : Number(v));

const minutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

function PlaceForm({ trip }: { trip: TripDetail }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'venue' | 'ours' | 'online'>('venue');
  const [lat, setLat] = useState<number | null>(null);
  const [lon, setLon] = useState<number | null>(null);
  const [area, setArea] = useState('');
  const add = useAdd(trip.id, (b: Parameters<typeof tripsApi.addPlace>[1]) => tripsApi.addPlace(trip.id, b), () => (setName(''), setLat(null), setLon(null)));
  return (
    <Form label={t('trips.records.add')} pending={add.isPending} error={add.error} onSubmit={() => add.mutate({ name, kind, lat, lon, area: area.trim() || null })}>
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

function RequestForm({ trip }: { trip: TripDetail }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [duration, setDuration] = useState<number>(60);
  const [priority, setPriority] = useState<number>(5);
  const [format, setFormat] = useState<'group' | 'one_on_one'>('one_on_one');
  const [orgs, setOrgs] = useState<string[]>([]);
  const [people, setPeople] = useState<string[]>([]);
  const [known, setKnown] = useState<Record<string, string>>({});
  const [must, setMust] = useState<string[]>([]);
  const [may, setMay] = useState<string[]>([]);
  const [places, setPlaces] = useState<string[]>([]);
  const [theirs, setTheirs] = useState(true);
  const [ours, setOurs] = useState(false);
  const [online, setOnline] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [restricted, setRestricted] = useState(false);
  const travellers = trip.travellers.map((x) => ({ value: x.id, label: x.name }));
  const add = useAdd(trip.id, (b: Parameters<typeof tripsApi.addRequest>[1]) => tripsApi.addRequest(trip.id, b), () => (setTitle(''), setOrgs([]), setPeople([])));
  return (
    <Form
      label={t('trips.records.add')}
      pending={add.isPending}
      error={add.error}
      onSubmit={() =>
        add.mutate({
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
          windows: from && to ? [{ startsAt: zonedLocalToIso(from, trip.timeZone), endsAt: zonedLocalToIso(to, trip.timeZone) }] : [],
          restricted,
        })
      }
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('trips.records.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required dir="auto" error={fieldError(t, add.error, 'title')} />
        <Select label={t('trips.records.format')} data={(['one_on_one', 'group'] as const).map((k) => ({ value: k, label: t(`trips.records.formats.${k}`) }))} value={format} onChange={(v) => v && setFormat(v as typeof format)} allowDeselect={false} />
        <NumberInput label={t('trips.records.duration')} value={duration} onChange={(v) => setDuration(Number(v) || 0)} min={5} max={720} step={15} error={fieldError(t, add.error, 'durationMinutes')} />
        <NumberInput label={t('trips.records.priority')} value={priority} onChange={(v) => setPriority(Number(v) || 1)} min={1} max={10} />
        <RemoteMultiSelect kind="organisations" label={t('trips.records.organisations')} value={orgs} known={known} onChange={(ids, labels) => (setOrgs(ids), setKnown({ ...known, ...labels }))} />
        <RemoteMultiSelect kind="people" label={t('trips.records.people')} value={people} known={known} onChange={(ids, labels) => (setPeople(ids), setKnown({ ...known, ...labels }))} error={fieldError(t, add.error, 'personIds.0')} />
        <MultiSelect label={t('trips.records.must')} data={travellers} value={must} onChange={setMust} error={fieldError(t, add.error, 'travellers')} />
        <MultiSelect label={t('trips.records.may')} data={travellers} value={may} onChange={setMay} />
        <MultiSelect label={t('trips.records.places')} data={trip.places.map((p) => ({ value: p.id, label: p.name }))} value={places} onChange={setPlaces} error={fieldError(t, add.error, 'placeIds')} />
        <Stack gap={4} justify="flex-end">
          <Checkbox label={t('trips.records.theirs')} checked={theirs} onChange={(e) => setTheirs(e.currentTarget.checked)} />
          <Checkbox label={t('trips.records.ours')} checked={ours} onChange={(e) => setOurs(e.currentTarget.checked)} />
          <Checkbox label={t('trips.records.online')} checked={online} onChange={(e) => setOnline(e.currentTarget.checked)} />
        </Stack>
        <TextInput type="datetime-local" label={t('trips.records.availableFrom')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="datetime-local" label={t('trips.records.availableTo')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={fieldError(t, add.error, 'windows.0.endsAt')} />
        <Checkbox label={t('trips.records.restricted')} description={t('trips.records.restrictedHint')} checked={restricted} onChange={(e) => setRestricted(e.currentTarget.checked)} />
      </SimpleGrid>
    </Form>
  );
}

/** What the trip holds, counted, and the forms that add to it. */
export function TripRecords({ trip }: { trip: TripDetail }) {
  const { t } = useTranslation();
  const sections = [
    { key: 'places', n: trip.places.length, form: <PlaceForm trip={trip} /> },
    { key: 'travellers', n: trip.travellers.length, form: <TravellerForm trip={trip} /> },
    { key: 'rules', n: trip.rules.length, form: <RuleForm trip={trip} /> },
    { key: 'requests', n: trip.requests.length, form: <RequestForm trip={trip} /> },
  ];
  return (
    <Accordion variant="separated" className="trip-records">
      {sections.map((s) => (
        <Accordion.Item key={s.key} value={s.key}>
          <Accordion.Control>
            <Text fw={600}>{t(`trips.records.count.${s.key}`, { count: s.n, n: s.n })}</Text>
          </Accordion.Control>
          <Accordion.Panel>{s.form}</Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}



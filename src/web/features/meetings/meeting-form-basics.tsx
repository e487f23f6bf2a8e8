import { SegmentedControl, Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import type { Dispatch, SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { TimeZoneSelect } from '../../components/time-zone-select.tsx';
import type { FieldErrorOf, FieldsDraft, PlaceDraft } from './meeting-form-draft.ts';
import { MEETING_KINDS, type MeetingKind } from './meetings.api.ts';
import { utcToZoned, zonedToUtc } from './zoned-time.ts';

// The meeting form's basics: what and when (kind, title, start and end in the place's zone), then where.

/** Kind, title, start, end and time zone; the instant the start is stored as. */
export function TimeFields(props: { value: FieldsDraft; onChange: Dispatch<SetStateAction<FieldsDraft>>; err: FieldErrorOf }) {
  const { t } = useTranslation();
  const { value: f, onChange, err } = props;
  const set = <K extends keyof FieldsDraft>(k: K, v: FieldsDraft[K]) => onChange((d) => ({ ...d, [k]: v }));
  const kindOptions = MEETING_KINDS.map((k) => ({ value: k, label: t(`meeting.kinds.${k}`) }));
  const startUtc = zonedToUtc(f.start, f.timeZone);
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label={t('meeting.fields.kind')} data={kindOptions} value={f.kind} onChange={(v) => v && set('kind', v as MeetingKind)} allowDeselect={false} error={err('kind')} />
        <TextInput
          data-field="title"
          label={t('meeting.fields.title')}
          value={f.title}
          onChange={(e) => set('title', e.currentTarget.value)}
          error={err('title')}
          required
          dir="auto"
          maxLength={300}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput
          data-field="startsAt"
          label={t('meeting.fields.start')}
          type="datetime-local"
          value={f.start}
          onChange={(e) => {
            const v = e.currentTarget.value;
            // moving the start keeps the meeting's length
            onChange((d) => {
              const oldS = zonedToUtc(d.start, d.timeZone);
              const oldE = zonedToUtc(d.end, d.timeZone);
              const newS = zonedToUtc(v, d.timeZone);
              if (oldS && oldE && newS) return { ...d, start: v, end: utcToZoned(Date.parse(newS) + (Date.parse(oldE) - Date.parse(oldS)), d.timeZone) };
              return { ...d, start: v };
            });
          }}
          error={err('startsAt')}
          description={t('meeting.form.placeTimeHint')}
          required
        />
        <TextInput
          data-field="endsAt"
          label={t('meeting.fields.end')}
          type="datetime-local"
          value={f.end}
          onChange={(e) => set('end', e.currentTarget.value)}
          error={err('endsAt')}
          description={t('meeting.form.placeTimeHint')}
          required
        />
        <TimeZoneSelect label={t('meeting.fields.timeZone')} value={f.timeZone} onChange={(z) => set('timeZone', z)} error={err('timeZone')} />
      </SimpleGrid>
      {startUtc && (
        <Text size="sm" c="dimmed" data-testid="start-utc">
          {t('meeting.form.storedAs', { instant: startUtc.replace('.000Z', 'Z') })}
        </Text>
      )}
    </>
  );
}

/** In person (city, venue) or online (a city still allowed). */
export function PlaceFields(props: { value: PlaceDraft; onChange: Dispatch<SetStateAction<PlaceDraft>>; err: FieldErrorOf }) {
  const { t } = useTranslation();
  const { value: p, onChange, err } = props;
  const set = <K extends keyof PlaceDraft>(k: K, v: PlaceDraft[K]) => onChange((d) => ({ ...d, [k]: v }));
  return (
    <>
      <SegmentedControl
        aria-label={t('meeting.form.where')}
        value={p.placeKind}
        onChange={(v) => set('placeKind', v as PlaceDraft['placeKind'])}
        data={[
          { value: 'place', label: t('meeting.form.inPerson') },
          { value: 'online', label: t('meeting.online') },
        ]}
        w="fit-content"
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('meeting.fields.city')} value={p.city} onChange={(e) => set('city', e.currentTarget.value)} error={err('city')} dir="auto" maxLength={120} />
        {p.placeKind === 'place' && (
          <TextInput label={t('meeting.fields.venue')} value={p.venue} onChange={(e) => set('venue', e.currentTarget.value)} error={err('venue')} dir="auto" maxLength={300} />
        )}
      </SimpleGrid>
    </>
  );
}

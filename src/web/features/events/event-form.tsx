import { Button, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Tabs, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../../components/errors.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { TimeZoneSelect } from '../../components/time-zone-select.tsx';
import { languageName, zonedLocalToIso } from '../../format.ts';
import { utcToZoned } from '../meetings/zoned-time.ts';
import { EVENT_STATUSES, type CreateEventBody, type EventDto, type EventStatus } from './events.api.ts';

const LANGS = ['en', 'he', 'ar'] as const;
type Lang = (typeof LANGS)[number];
type Texts = Record<Lang, string>;
const empty = (): Texts => ({ en: '', he: '', ar: '' });
const fromDto = (v: Record<string, string> | undefined): Texts => ({ en: v?.en ?? '', he: v?.he ?? '', ar: v?.ar ?? '' });
/** only the languages written */
export const written = (v: Texts): Record<string, string> => Object.fromEntries(Object.entries(v).filter(([, s]) => s.trim()).map(([l, s]) => [l, s.trim()]));

export type EventFormValues = Omit<CreateEventBody, 'ticketTypes'>;

/** An event's settings: texts in three languages, the venue, the time in the venue's zone, gates, status. */
export function EventForm(props: { initial?: EventDto; submitLabel: string; pending: boolean; error: unknown; onSubmit: (v: EventFormValues) => void; extra?: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const i = props.initial;
  const [title, setTitle] = useState<Texts>(fromDto(i?.title));
  const [description, setDescription] = useState<Texts>(fromDto(i?.description));
  const [practical, setPractical] = useState<Texts>(fromDto(i?.practicalInfo));
  const [access, setAccess] = useState<Texts>(fromDto(i?.accessibility));
  const [slug, setSlug] = useState(i?.slug ?? '');
  const [venueName, setVenueName] = useState(i?.venueName ?? '');
  const [venueAddress, setVenueAddress] = useState(i?.venueAddress ?? '');
  const [mapUrl, setMapUrl] = useState(i?.mapUrl ?? '');
  const [timeZone, setTimeZone] = useState(i?.timeZone ?? 'Asia/Jerusalem');
  const [starts, setStarts] = useState(i ? utcToZoned(i.startsAt, i.timeZone) : '');
  const [ends, setEnds] = useState(i ? utcToZoned(i.endsAt, i.timeZone) : '');
  const [languages, setLanguages] = useState<string[]>(i?.languages ?? ['he', 'ar', 'en']);
  const [gates, setGates] = useState<string[]>(i?.gates ?? []);
  const [status, setStatus] = useState<EventStatus>(i?.status ?? 'draft');
  const [offerHours, setOfferHours] = useState<number>(i?.waitlistOfferHours ?? 24);
  const [retention, setRetention] = useState<number>(i?.retentionDays ?? 90);
  const [keptRetention, setKeptRetention] = useState<number>(i?.keptRetentionDays ?? 730);
  const err = (f: string) => fieldError(t, props.error, f);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit({
      slug: slug.trim(),
      title: written(title),
      description: written(description),
      practicalInfo: written(practical),
      accessibility: written(access),
      venueName: venueName.trim() || null,
      venueAddress: venueAddress.trim() || null,
      mapUrl: mapUrl.trim() || null,
      startsAt: starts ? zonedLocalToIso(starts, timeZone) : '',
      endsAt: ends ? zonedLocalToIso(ends, timeZone) : '',
      timeZone,
      languages,
      gates,
      status,
      waitlistOfferHours: offerHours,
      retentionDays: retention,
      keptRetentionDays: Math.max(keptRetention, retention),
    });
  };
  const text = (l: Lang) => ({ dir: l === 'en' ? 'ltr' : 'rtl', lang: l }) as const;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <ErrorAlert error={props.error} />
        <Tabs defaultValue={i18n.language in title ? i18n.language : 'en'}>
          <Tabs.List>
            {LANGS.map((l) => (
              <Tabs.Tab key={l} value={l}>
                {languageName(l, i18n.language)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {LANGS.map((l) => (
            <Tabs.Panel key={l} value={l} pt="sm">
              <Stack gap="sm">
                <TextInput label={t('events.staff.fields.title')} value={title[l]} onChange={(e) => setTitle({ ...title, [l]: e.currentTarget.value })} error={err(`title.${l}`) ?? err('title')} {...text(l)} />
                <Textarea label={t('events.staff.fields.description')} autosize minRows={3} value={description[l]} onChange={(e) => setDescription({ ...description, [l]: e.currentTarget.value })} {...text(l)} />
                <Textarea label={t('events.staff.fields.practicalInfo')} autosize minRows={2} value={practical[l]} onChange={(e) => setPractical({ ...practical, [l]: e.currentTarget.value })} {...text(l)} />
                <Textarea label={t('events.staff.fields.accessibility')} autosize minRows={2} value={access[l]} onChange={(e) => setAccess({ ...access, [l]: e.currentTarget.value })} {...text(l)} />
              </Stack>
            </Tabs.Panel>
          ))}
        </Tabs>
        <TextInput label={t('events.staff.fields.slug')} description={t('events.staff.fields.slugHint')} value={slug} onChange={(e) => setSlug(e.currentTarget.value)} error={err('slug')} dir="ltr" required />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('events.staff.fields.venueName')} value={venueName} onChange={(e) => setVenueName(e.currentTarget.value)} error={err('venueName')} dir="auto" />
          <TextInput label={t('events.staff.fields.venueAddress')} value={venueAddress} onChange={(e) => setVenueAddress(e.currentTarget.value)} error={err('venueAddress')} dir="auto" />
        </SimpleGrid>
        <TextInput label={t('events.staff.fields.mapUrl')} description={t('events.staff.fields.mapUrlHint')} value={mapUrl} onChange={(e) => setMapUrl(e.currentTarget.value)} error={err('mapUrl')} dir="ltr" type="url" />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput type="datetime-local" label={t('events.staff.fields.startsAt')} value={starts} onChange={(e) => setStarts(e.currentTarget.value)} error={err('startsAt')} required />
          <TextInput type="datetime-local" label={t('events.staff.fields.endsAt')} value={ends} onChange={(e) => setEnds(e.currentTarget.value)} error={err('endsAt')} required />
          <TimeZoneSelect value={timeZone} onChange={setTimeZone} error={err('timeZone')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <MultiSelect
            label={t('events.staff.fields.languages')}
            data={['he', 'ar', 'en'].map((l) => ({ value: l, label: languageName(l, i18n.language) }))}
            value={languages}
            onChange={setLanguages}
            error={err('languages')}
          />
          <TagsInput label={t('events.staff.fields.gates')} description={t('events.staff.fields.gatesHint')} value={gates} onChange={setGates} error={err('gates')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('events.staff.fields.status')}
            data={EVENT_STATUSES.map((s) => ({ value: s, label: t(`events.staff.status.${s}`) }))}
            value={status}
            onChange={(v) => v && setStatus(v as EventStatus)}
            allowDeselect={false}
          />
          <NumberInput label={t('events.staff.fields.offerHours')} min={1} max={720} value={offerHours} onChange={(v) => setOfferHours(Number(v) || 24)} error={err('waitlistOfferHours')} />
          <NumberInput label={t('events.staff.fields.retentionDays')} min={0} max={3650} value={retention} onChange={(v) => setRetention(Number(v) || 0)} error={err('retentionDays')} />
          <NumberInput
            label={t('events.staff.fields.keptRetentionDays')}
            description={t('events.staff.fields.keptRetentionHelp')}
            min={retention}
            max={3650}
            value={keptRetention}
            onChange={(v) => setKeptRetention(Number(v) || 0)}
            error={err('keptRetentionDays')}
          />
        </SimpleGrid>
        {props.extra}
        <Group>
          <Button type="submit" loading={props.pending}>
            {props.submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export { empty };

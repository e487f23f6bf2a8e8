import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Loader,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { errorMessage, fieldError } from '../../components/errors.ts';
import { RouterButton } from '../../components/links.tsx';
import { TimeZoneSelect } from '../../components/time-zone-select.tsx';
import { isolate } from '../../format.ts';
import { topicName, useStaff, useTopics, useViewer } from './meeting-parts.tsx';
import {
  MEETING_KINDS,
  meetingsApi,
  ORGANISATION_ROLES,
  SHARED_ITEM_KINDS,
  type Meeting,
  type MeetingKind,
  type OrganisationRole,
  type SharedItemKind,
} from './meetings.api.ts';
import { nameForReader } from '../network/reader-name.ts';
import { RemoteMultiSelect } from './pickers.tsx';
import { addDays, utcToZoned, zonedDate, zonedToUtc } from './zoned-time.ts';

type SharedRow = { key: string; id?: string; organisationId: string; topicId: string; kind: SharedItemKind; body: string; restricted: boolean };
type FollowUpRow = { key: string; title: string; ownerId: string; dueDate: string; organisationId: string };
type Form = {
  kind: MeetingKind;
  title: string;
  start: string;
  end: string;
  timeZone: string;
  placeKind: 'place' | 'online';
  city: string;
  venue: string;
  notes: string;
  restricted: boolean;
  notesRestricted: boolean;
  organisations: { organisationId: string; role: OrganisationRole }[];
  people: { personId: string; organisationId: string; role: string }[];
  staffIds: string[];
  topicIds: string[];
  sharedItems: SharedRow[];
  followUps: FollowUpRow[];
};

const DEFAULT_ZONE = 'Asia/Jerusalem';
let keySeq = 0;
const newKey = () => `row-${++keySeq}`;

function blankForm(meId: string | undefined): Form {
  const day = zonedDate(Date.now(), DEFAULT_ZONE);
  return {
    kind: 'group',
    title: '',
    start: `${day}T10:00`,
    end: `${day}T11:00`,
    timeZone: DEFAULT_ZONE,
    placeKind: 'place',
    city: '',
    venue: '',
    notes: '',
    restricted: false,
    notesRestricted: false,
    organisations: [],
    people: [],
    staffIds: meId ? [meId] : [],
    topicIds: [],
    sharedItems: [],
    followUps: [],
  };
}

function formFromMeeting(m: Meeting): Form {
  return {
    kind: m.kind,
    title: m.title,
    start: utcToZoned(m.startsAt, m.timeZone),
    end: utcToZoned(m.endsAt, m.timeZone),
    timeZone: m.timeZone,
    placeKind: m.online ? 'online' : 'place',
    city: m.city ?? '',
    venue: m.venue ?? '',
    notes: m.notes ?? '',
    restricted: m.restricted,
    notesRestricted: m.notesRestricted,
    organisations: m.organisations.map((o) => ({ organisationId: o.organisationId, role: o.role })),
    people: m.people.map((p) => ({ personId: p.personId, organisationId: p.organisationId ?? '', role: p.role })),
    staffIds: m.staff.map((s) => s.userId),
    topicIds: m.topics.map((tp) => tp.id),
    sharedItems: m.sharedItems.map((s) => ({
      key: s.id,
      id: s.id,
      organisationId: s.organisationId,
      topicId: s.topicId ?? '',
      kind: s.kind,
      body: s.body,
      restricted: s.restricted,
    })),
    followUps: [],
  };
}

/** Errors of a sub-request (one shared item, one follow-up) named as fields of the whole form. */
function prefixed(err: unknown, prefix: string): unknown {
  if (!(err instanceof ApiError)) return err;
  const fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [`${prefix}.${k}`, v]));
  return new ApiError(err.status, err.code, err.message, Object.keys(fields).length ? fields : { [`${prefix}.body`]: err.message }, err.retryAfter);
}

export function NewMeetingPage() {
  return <MeetingFormPage />;
}

export function EditMeetingPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  return <MeetingFormPage id={id} />;
}

function MeetingFormPage(props: { id?: string }) {
  const { t } = useTranslation();
  const { me } = useViewer();
  const existing = useQuery({ queryKey: ['meeting', props.id], queryFn: () => meetingsApi.meeting(props.id!), enabled: !!props.id });
  if (props.id && existing.isPending) return <Loader role="status" aria-label={t('common.loading')} />;
  if (props.id && existing.isError) return <Alert color="red">{errorMessage(t, existing.error)}</Alert>;
  return <MeetingForm key={props.id ?? 'new'} meeting={existing.data} meId={me?.id} />;
}

function MeetingForm(props: { meeting?: Meeting; meId?: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const topics = useTopics();
  const staff = useStaff();
  const editing = props.meeting;
  const [form, setForm] = useState<Form>(() => (editing ? formFromMeeting(editing) : blankForm(props.meId)));
  const [orgNames, setOrgNames] = useState<Record<string, string>>(() => Object.fromEntries((editing?.organisations ?? []).map((o) => [o.organisationId, nameForReader(o, lang)])));
  const [personNames, setPersonNames] = useState<Record<string, string>>(() => Object.fromEntries((editing?.people ?? []).map((p) => [p.personId, p.displayName])));
  const [local, setLocal] = useState<Record<string, string | undefined>>({});

  useEffect(() => {
    // a new meeting's staff default to the recorder once we know who that is
    if (!editing && props.meId && form.staffIds.length === 0) setForm((f) => ({ ...f, staffIds: [props.meId!] }));
  }, [props.meId]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const patchRow = <L extends 'sharedItems' | 'followUps' | 'organisations' | 'people'>(list: L, i: number, patch: Partial<Form[L][number]>) =>
    setForm((f) => ({ ...f, [list]: (f[list] as object[]).map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
  const removeRow = (list: 'sharedItems' | 'followUps' | 'organisations' | 'people', i: number) =>
    setForm((f) => ({ ...f, [list]: (f[list] as object[]).filter((_, j) => j !== i) }));

  const notesHidden = !!editing?.notesHidden;
  // the staff present see all that is restricted to the meeting: only admins and its staff may change who they are
  const staffLocked = !!editing && !editing.mayChangeStaff;
  const save = useMutation({
    mutationFn: async () => {
      const startsAt = zonedToUtc(form.start, form.timeZone)!;
      const endsAt = zonedToUtc(form.end, form.timeZone)!;
      const fields = {
        kind: form.kind,
        title: form.title.trim(),
        startsAt,
        endsAt,
        timeZone: form.timeZone,
        city: form.placeKind === 'place' ? form.city.trim() || null : form.city.trim() || null,
        venue: form.placeKind === 'place' ? form.venue.trim() || null : null,
        online: form.placeKind === 'online',
        restricted: form.restricted,
        // notes the editor may not read are left alone, never overwritten with an empty field
        ...(notesHidden ? {} : { notes: form.notes.trim() ? form.notes : null, notesRestricted: form.notesRestricted }),
        organisations: form.organisations,
        people: form.people.map((p) => ({ personId: p.personId, organisationId: p.organisationId || null, role: p.role.trim() || 'participant' })),
        staffIds: form.staffIds,
        topicIds: form.topicIds,
      };
      const shared = (s: SharedRow) => ({ organisationId: s.organisationId, topicId: s.topicId || null, kind: s.kind, body: s.body, restricted: s.restricted });
      const followUp = (f: FollowUpRow) => ({ title: f.title.trim(), ownerId: f.ownerId, dueDate: f.dueDate || null, organisationId: f.organisationId || null });
      if (!editing) {
        return meetingsApi.createMeeting({ ...fields, sharedItems: form.sharedItems.map(shared), followUps: form.followUps.map(followUp) });
      }
      const m = await meetingsApi.updateMeeting(editing.id, fields);
      // shared items and follow-ups have their own endpoints once the meeting exists
      const before = new Map(editing.sharedItems.map((s) => [s.id, s]));
      for (const [i, s] of form.sharedItems.entries()) {
        const old = s.id ? before.get(s.id) : undefined;
        try {
          if (!old) await meetingsApi.addSharedItem(m.id, shared(s));
          else if (old.organisationId !== s.organisationId || (old.topicId ?? '') !== s.topicId || old.kind !== s.kind || old.body !== s.body || old.restricted !== s.restricted)
            await meetingsApi.updateSharedItem(old.id, shared(s));
        } catch (err) {
          throw prefixed(err, `sharedItems.${i}`);
        }
      }
      const kept = new Set(form.sharedItems.map((s) => s.id).filter(Boolean));
      for (const s of editing.sharedItems) if (!kept.has(s.id)) await meetingsApi.deleteSharedItem(s.id);
      for (const [i, f] of form.followUps.entries()) {
        try {
          await meetingsApi.createFollowUp({ ...followUp(f), meetingId: m.id });
        } catch (err) {
          throw prefixed(err, `followUps.${i}`);
        }
      }
      return m;
    },
    onSuccess: async (m) => {
      await queryClient.invalidateQueries({ queryKey: ['meetings'] });
      await queryClient.invalidateQueries({ queryKey: ['meeting', m.id] });
      await queryClient.invalidateQueries({ queryKey: ['follow-ups'] });
      await navigate({ to: '/network/meetings/$id', params: { id: m.id } });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checks: Record<string, string | undefined> = {
      title: form.title.trim() ? undefined : t('errors.field.required'),
      startsAt: zonedToUtc(form.start, form.timeZone) ? undefined : t('errors.field.required'),
      endsAt: zonedToUtc(form.end, form.timeZone) ? undefined : t('errors.field.required'),
    };
    const s = zonedToUtc(form.start, form.timeZone);
    const en = zonedToUtc(form.end, form.timeZone);
    if (s && en && Date.parse(en) <= Date.parse(s)) checks.endsAt = t('meeting.form.endBeforeStart');
    form.sharedItems.forEach((r, i) => {
      if (!r.organisationId) checks[`sharedItems.${i}.organisationId`] = t('errors.field.required');
      if (!r.body.trim()) checks[`sharedItems.${i}.body`] = t('errors.field.required');
    });
    form.followUps.forEach((r, i) => {
      if (!r.title.trim()) checks[`followUps.${i}.title`] = t('errors.field.required');
      if (!r.ownerId) checks[`followUps.${i}.ownerId`] = t('errors.field.required');
    });
    setLocal(checks);
    const firstBad = Object.entries(checks).find(([, v]) => v)?.[0];
    if (firstBad) {
      const el = document.querySelector<HTMLElement>(`[data-field="${firstBad}"]`);
      (el?.matches('input, textarea') ? el : el?.querySelector<HTMLElement>('input, textarea'))?.focus();
      return;
    }
    save.mutate();
  };
  const err = (f: string) => {
    if (local[f]) return local[f];
    // the meetings API's own sentences, beyond the generic ones fieldError knows
    const detail = save.error instanceof ApiError ? save.error.fields[f] : undefined;
    if (detail && /^No such/i.test(detail)) return t('meeting.form.noSuchRecord');
    if (detail && /listed twice/i.test(detail)) return t('meeting.form.listedTwice');
    if (detail && /after the start/i.test(detail)) return t('meeting.form.endBeforeStart');
    return fieldError(t, save.error, f);
  };
  const serverFieldCount = save.error instanceof ApiError ? Object.keys(save.error.fields).length : 0;

  const topicOptions = (topics.data?.items ?? []).filter((tp) => !tp.archived || form.topicIds.includes(tp.id)).map((tp) => ({ value: tp.id, label: topicName(tp, lang) }));
  const staffOptions = (staff.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));
  const meetingOrgOptions = form.organisations.map((o) => ({ value: o.organisationId, label: orgNames[o.organisationId] ?? o.organisationId }));
  const kindOptions = MEETING_KINDS.map((k) => ({ value: k, label: t(`meeting.kinds.${k}`) }));

  const startUtc = zonedToUtc(form.start, form.timeZone);
  const title = editing ? t('meeting.form.editTitle', { title: isolate(editing.title) }) : t('meeting.form.newTitle');

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg" maw={1000}>
        <div>
          <Title order={1}>{title}</Title>
          <Text mt={4}>{t('meeting.form.intro')}</Text>
        </div>

        <Section id="basics" title={t('meeting.form.basics')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label={t('meeting.fields.kind')} data={kindOptions} value={form.kind} onChange={(v) => v && set('kind', v as MeetingKind)} allowDeselect={false} error={err('kind')} />
            <TextInput
              data-field="title"
              label={t('meeting.fields.title')}
              value={form.title}
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
              value={form.start}
              onChange={(e) => {
                const v = e.currentTarget.value;
                // moving the start keeps the meeting's length
                setForm((f) => {
                  const oldS = zonedToUtc(f.start, f.timeZone);
                  const oldE = zonedToUtc(f.end, f.timeZone);
                  const newS = zonedToUtc(v, f.timeZone);
                  if (oldS && oldE && newS) return { ...f, start: v, end: utcToZoned(Date.parse(newS) + (Date.parse(oldE) - Date.parse(oldS)), f.timeZone) };
                  return { ...f, start: v };
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
              value={form.end}
              onChange={(e) => set('end', e.currentTarget.value)}
              error={err('endsAt')}
              description={t('meeting.form.placeTimeHint')}
              required
            />
            <TimeZoneSelect label={t('meeting.fields.timeZone')} value={form.timeZone} onChange={(z) => set('timeZone', z)} error={err('timeZone')} />
          </SimpleGrid>
          {startUtc && (
            <Text size="sm" c="dimmed" data-testid="start-utc">
              {t('meeting.form.storedAs', { instant: startUtc.replace('.000Z', 'Z') })}
            </Text>
          )}
          <SegmentedControl
            aria-label={t('meeting.form.where')}
            value={form.placeKind}
            onChange={(v) => set('placeKind', v as Form['placeKind'])}
            data={[
              { value: 'place', label: t('meeting.form.inPerson') },
              { value: 'online', label: t('meeting.online') },
            ]}
            w="fit-content"
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('meeting.fields.city')} value={form.city} onChange={(e) => set('city', e.currentTarget.value)} error={err('city')} dir="auto" maxLength={120} />
            {form.placeKind === 'place' && (
              <TextInput label={t('meeting.fields.venue')} value={form.venue} onChange={(e) => set('venue', e.currentTarget.value)} error={err('venue')} dir="auto" maxLength={300} />
            )}
          </SimpleGrid>
        </Section>

        <Section id="who" title={t('meeting.form.who')}>
          <div data-field="organisations">
            <RemoteMultiSelect
              kind="organisations"
              label={t('meeting.fields.organisations')}
              description={t('meeting.form.organisationsHint')}
              value={form.organisations.map((o) => o.organisationId)}
              known={orgNames}
              error={err('organisations')}
              onChange={(ids, labels) => {
                setOrgNames((n) => ({ ...n, ...labels }));
                setForm((f) => ({ ...f, organisations: ids.map((id) => f.organisations.find((o) => o.organisationId === id) ?? { organisationId: id, role: 'participant' }) }));
              }}
            />
          </div>
          {form.organisations.length > 0 && (
            <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('meeting.form.organisationRoles')}>
              {form.organisations.map((o, i) => (
                <Group key={o.organisationId} component="li" gap="xs" wrap="nowrap" data-field={`organisations.${i}.organisationId`}>
                  <Text size="sm" style={{ flex: 1 }} dir="auto">
                    {orgNames[o.organisationId] ?? o.organisationId}
                  </Text>
                  <Select
                    size="xs"
                    w={160}
                    aria-label={t('meeting.form.roleOf', { name: isolate(orgNames[o.organisationId] ?? '') })}
                    data={ORGANISATION_ROLES.map((r) => ({ value: r, label: t(`meeting.orgRoles.${r}`) }))}
                    value={o.role}
                    onChange={(v) => v && patchRow('organisations', i, { role: v as OrganisationRole })}
                    allowDeselect={false}
                    error={err(`organisations.${i}.role`) ?? err(`organisations.${i}.organisationId`)}
                  />
                  <ActionIcon variant="subtle" color="red" onClick={() => removeRow('organisations', i)} aria-label={t('meeting.form.removeNamed', { name: isolate(orgNames[o.organisationId] ?? '') })}>
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              ))}
            </Stack>
          )}
          <RemoteMultiSelect
            kind="people"
            label={t('meeting.fields.people')}
            value={form.people.map((p) => p.personId)}
            known={personNames}
            error={err('people')}
            onChange={(ids, labels) => {
              setPersonNames((n) => ({ ...n, ...labels }));
              setForm((f) => ({ ...f, people: ids.map((id) => f.people.find((p) => p.personId === id) ?? { personId: id, organisationId: '', role: 'participant' }) }));
            }}
          />
          {form.people.length > 0 && (
            <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('meeting.form.peopleRoles')}>
              {form.people.map((p, i) => {
                const name = isolate(personNames[p.personId] ?? '');
                return (
                  <Group key={p.personId} component="li" gap="xs" wrap="wrap" data-field={`people.${i}.personId`}>
                    <Text size="sm" style={{ flex: 1, minWidth: 140 }} dir="auto">
                      {personNames[p.personId] ?? p.personId}
                    </Text>
                    <TextInput
                      size="xs"
                      w={160}
                      aria-label={t('meeting.form.roleOf', { name })}
                      value={p.role}
                      onChange={(e) => patchRow('people', i, { role: e.currentTarget.value })}
                      error={err(`people.${i}.role`)}
                      dir="auto"
                    />
                    <Select
                      size="xs"
                      w={220}
                      aria-label={t('meeting.form.cameFor', { name })}
                      placeholder={t('meeting.form.cameForPlaceholder')}
                      data={meetingOrgOptions}
                      value={p.organisationId || null}
                      onChange={(v) => patchRow('people', i, { organisationId: v ?? '' })}
                      clearable
                      error={err(`people.${i}.organisationId`) ?? err(`people.${i}.personId`)}
                    />
                    <ActionIcon variant="subtle" color="red" onClick={() => removeRow('people', i)} aria-label={t('meeting.form.removeNamed', { name })}>
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                );
              })}
            </Stack>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MultiSelect
              label={t('meeting.fields.staff')}
              data={staffOptions}
              value={form.staffIds}
              onChange={(v) => set('staffIds', v)}
              disabled={staffLocked}
              description={staffLocked ? t('meeting.form.staffLockedHint') : undefined}
              searchable
              clearable
              error={err('staffIds')}
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
            />
            <MultiSelect
              label={t('meeting.fields.topics')}
              data={topicOptions}
              value={form.topicIds}
              onChange={(v) => set('topicIds', v)}
              searchable
              clearable
              error={err('topicIds')}
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
        </Section>

        <Section id="notes" title={t('meeting.fields.notes')}>
          {notesHidden ? (
            <Text c="dimmed">{t('meeting.notesHidden')}</Text>
          ) : (
            <Textarea
              label={t('meeting.fields.notes')}
              description={t('meeting.form.notesHint')}
              value={form.notes}
              onChange={(e) => set('notes', e.currentTarget.value)}
              autosize
              minRows={5}
              maxRows={20}
              error={err('notes')}
              dir="auto"
            />
          )}
          <Switch
            disabled={notesHidden}
            label={t('meeting.fields.restricted')}
            description={t('meeting.form.restrictedHint')}
            checked={form.restricted}
            onChange={(e) => set('restricted', e.currentTarget.checked)}
          />
          <Switch
            disabled={notesHidden}
            label={t('meeting.fields.notesRestricted')}
            description={t('meeting.form.notesRestrictedHint')}
            checked={form.notesRestricted}
            onChange={(e) => set('notesRestricted', e.currentTarget.checked)}
          />
        </Section>

        <Section id="shared" title={t('meeting.form.shared')} intro={t('meeting.form.sharedIntro')}>
          {form.sharedItems.map((r, i) => (
            <Paper key={r.key} withBorder p="sm" component="fieldset" aria-label={t('meeting.form.sharedRow', { n: i + 1 })}>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <Select
                  data-field={`sharedItems.${i}.organisationId`}
                  label={t('meeting.fields.organisation')}
                  data={meetingOrgOptions}
                  value={r.organisationId || null}
                  onChange={(v) => patchRow('sharedItems', i, { organisationId: v ?? '' })}
                  error={err(`sharedItems.${i}.organisationId`)}
                  placeholder={meetingOrgOptions.length ? undefined : t('meeting.form.addOrganisationsFirst')}
                  required
                  comboboxProps={{ withinPortal: true }}
                />
                <Select
                  label={t('meeting.fields.sharedKind')}
                  data={SHARED_ITEM_KINDS.map((k) => ({ value: k, label: t(`meeting.sharedKinds.${k}`) }))}
                  value={r.kind}
                  onChange={(v) => v && patchRow('sharedItems', i, { kind: v as SharedItemKind })}
                  allowDeselect={false}
                  error={err(`sharedItems.${i}.kind`)}
                />
                <Select
                  label={t('meeting.fields.topic')}
                  data={topicOptions}
                  value={r.topicId || null}
                  onChange={(v) => patchRow('sharedItems', i, { topicId: v ?? '' })}
                  clearable
                  searchable
                  error={err(`sharedItems.${i}.topicId`)}
                  comboboxProps={{ withinPortal: true }}
                />
              </SimpleGrid>
              <Textarea
                data-field={`sharedItems.${i}.body`}
                mt="xs"
                label={t('meeting.fields.sharedBody')}
                value={r.body}
                onChange={(e) => patchRow('sharedItems', i, { body: e.currentTarget.value })}
                error={err(`sharedItems.${i}.body`)}
                autosize
                minRows={2}
                required
                dir="auto"
              />
              <Group justify="space-between" mt="xs">
                <Checkbox
                  label={t('meeting.fields.sharedRestricted')}
                  checked={r.restricted}
                  onChange={(e) => patchRow('sharedItems', i, { restricted: e.currentTarget.checked })}
                />
                <Button variant="subtle" color="red" size="xs" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => removeRow('sharedItems', i)}>
                  {t('meeting.form.removeRow', { n: i + 1 })}
                </Button>
              </Group>
            </Paper>
          ))}
          <div>
            <Button
              variant="light"
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={() =>
                set('sharedItems', [...form.sharedItems, { key: newKey(), organisationId: form.organisations.length === 1 ? form.organisations[0]!.organisationId : '', topicId: '', kind: 'concern', body: '', restricted: false }])
              }
            >
              {t('meeting.form.addShared')}
            </Button>
          </div>
        </Section>

        <Section id="follow-ups" title={t('followUp.title')} intro={editing ? t('meeting.form.followUpsEditIntro') : undefined}>
          {form.followUps.map((r, i) => (
            <Paper key={r.key} withBorder p="sm" component="fieldset" aria-label={t('meeting.form.followUpRow', { n: i + 1 })}>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  data-field={`followUps.${i}.title`}
                  label={t('followUp.fields.title')}
                  value={r.title}
                  onChange={(e) => patchRow('followUps', i, { title: e.currentTarget.value })}
                  error={err(`followUps.${i}.title`)}
                  required
                  dir="auto"
                />
                <Select
                  data-field={`followUps.${i}.ownerId`}
                  label={t('followUp.fields.owner')}
                  data={staffOptions}
                  value={r.ownerId || null}
                  onChange={(v) => patchRow('followUps', i, { ownerId: v ?? '' })}
                  error={err(`followUps.${i}.ownerId`)}
                  searchable
                  required
                  comboboxProps={{ withinPortal: true }}
                />
                <TextInput
                  label={t('followUp.fields.dueDate')}
                  type="date"
                  value={r.dueDate}
                  onChange={(e) => patchRow('followUps', i, { dueDate: e.currentTarget.value })}
                  error={err(`followUps.${i}.dueDate`)}
                />
                <Select
                  label={t('meeting.fields.organisation')}
                  data={meetingOrgOptions}
                  value={r.organisationId || null}
                  onChange={(v) => patchRow('followUps', i, { organisationId: v ?? '' })}
                  clearable
                  error={err(`followUps.${i}.organisationId`)}
                  comboboxProps={{ withinPortal: true }}
                />
              </SimpleGrid>
              <Group justify="flex-end" mt="xs">
                <Button variant="subtle" color="red" size="xs" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => removeRow('followUps', i)}>
                  {t('meeting.form.removeRow', { n: i + 1 })}
                </Button>
              </Group>
            </Paper>
          ))}
          <div>
            <Button
              variant="light"
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={() =>
                set('followUps', [...form.followUps, { key: newKey(), title: '', ownerId: props.meId ?? '', dueDate: addDays(zonedDate(Date.now(), DEFAULT_ZONE), 7), organisationId: '' }])
              }
            >
              {t('followUp.add')}
            </Button>
          </div>
        </Section>

        {save.isError && (
          <Alert color="red" role="alert" icon={<IconAlertCircle aria-hidden />}>
            {serverFieldCount ? t('meeting.form.fixFields', { n: serverFieldCount }) : errorMessage(t, save.error)}
            {serverFieldCount > 0 && <UnplacedErrors t={t} error={save.error} />}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {editing ? t('common.save') : t('meeting.form.create')}
          </Button>
          <RouterButton variant="default" to={editing ? '/network/meetings/$id' : '/network/meetings'} params={editing ? { id: editing.id } : undefined}>
            {t('common.cancel')}
          </RouterButton>
        </Group>
      </Stack>
    </form>
  );
}

/** Server field errors that no field on the form shows (so none is silently lost). */
function UnplacedErrors(props: { t: TFunction; error: unknown }) {
  const shown = useMemo(() => {
    if (!(props.error instanceof ApiError)) return [];
    return Object.keys(props.error.fields).filter((f) => !document.querySelector(`[data-field="${f}"]`) && !/^(title|startsAt|endsAt|timeZone|kind|city|venue|notes|organisations|people|staffIds|topicIds)$/.test(f) && !/\.(role|organisationId|personId|kind|topicId|body|title|ownerId|dueDate)$/.test(f));
  }, [props.error]);
  if (!shown.length || !(props.error instanceof ApiError)) return null;
  const err = props.error;
  return (
    <ul>
      {shown.map((f) => (
        <li key={f}>
          <bdi>{f}</bdi>: {fieldError(props.t, err, f)}
        </li>
      ))}
    </ul>
  );
}

function Section(props: { id: string; title: string; intro?: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={`${props.id}-title`}>
      <Title order={2} fz="h3" mb={props.intro ? 4 : 'md'} id={`${props.id}-title`}>
        {props.title}
      </Title>
      {props.intro && (
        <Text size="sm" mb="md">
          {props.intro}
        </Text>
      )}
      <Stack gap="md">{props.children}</Stack>
    </Paper>
  );
}

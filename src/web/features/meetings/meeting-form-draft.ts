import type { TFunction } from 'i18next';
import { ApiError } from '../../api.ts';
import { nameForReader } from '../network/reader-name.ts';
import type { Meeting, MeetingKind, OrganisationRole, SharedItem, SharedItemKind } from './meetings.api.ts';
import { utcToZoned, zonedDate, zonedToUtc } from './zoned-time.ts';

// The meeting form's draft, one slice per section (each section holds and changes its own), and what the form does
// with them: start from a blank or a recorded meeting, check them, and turn them into the API's bodies. No React here.

/** What, when and in which zone (wall-clock times of the place, 'YYYY-MM-DDTHH:mm'). */
export type FieldsDraft = { kind: MeetingKind; title: string; start: string; end: string; timeZone: string };
/** Where: a place (city, venue) or online (a city is still allowed). */
export type PlaceDraft = { placeKind: 'place' | 'online'; city: string; venue: string };
/** An organisation at the meeting; `name` is how the form shows it (in the reader's script). */
export type OrganisationRow = { organisationId: string; role: OrganisationRole; name?: string };
/** A person at the meeting, the organisation they came for ('' for none) and their role; `name` is how the form shows them. */
export type PersonRow = { personId: string; organisationId: string; role: string; name?: string };
export type StaffTopicsDraft = { staffIds: string[]; topicIds: string[] };
export type NotesDraft = { notes: string; restricted: boolean; notesRestricted: boolean };
export type SharedRow = { key: string; id?: string; organisationId: string; topicId: string; kind: SharedItemKind; body: string; restricted: boolean };
export type FollowUpRow = { key: string; title: string; ownerId: string; dueDate: string; organisationId: string };

export type MeetingDraft = {
  fields: FieldsDraft;
  place: PlaceDraft;
  organisations: OrganisationRow[];
  people: PersonRow[];
  staffTopics: StaffTopicsDraft;
  notes: NotesDraft;
  sharedItems: SharedRow[];
  followUps: FollowUpRow[];
};

/** A field's error sentence (a local check's, else the server's), or nothing. Field names are the API's ("sharedItems.0.body"). */
export type FieldErrorOf = (field: string) => string | undefined;

export const DEFAULT_ZONE = 'Asia/Jerusalem';
let keySeq = 0;
/** A key for a row that has no id yet (React lists). */
export const newKey = () => `row-${++keySeq}`;

export function blankDraft(meId: string | undefined): MeetingDraft {
  const day = zonedDate(Date.now(), DEFAULT_ZONE);
  return {
    fields: { kind: 'group', title: '', start: `${day}T10:00`, end: `${day}T11:00`, timeZone: DEFAULT_ZONE },
    place: { placeKind: 'place', city: '', venue: '' },
    organisations: [],
    people: [],
    staffTopics: { staffIds: meId ? [meId] : [], topicIds: [] },
    notes: { notes: '', restricted: false, notesRestricted: false },
    sharedItems: [],
    followUps: [],
  };
}

export function draftFromMeeting(m: Meeting, lang: string): MeetingDraft {
  return {
    fields: { kind: m.kind, title: m.title, start: utcToZoned(m.startsAt, m.timeZone), end: utcToZoned(m.endsAt, m.timeZone), timeZone: m.timeZone },
    place: { placeKind: m.online ? 'online' : 'place', city: m.city ?? '', venue: m.venue ?? '' },
    organisations: m.organisations.map((o) => ({ organisationId: o.organisationId, role: o.role, name: nameForReader(o, lang) })),
    people: m.people.map((p) => ({ personId: p.personId, organisationId: p.organisationId ?? '', role: p.role, name: p.displayName })),
    staffTopics: { staffIds: m.staff.map((s) => s.userId), topicIds: m.topics.map((tp) => tp.id) },
    notes: { notes: m.notes ?? '', restricted: m.restricted, notesRestricted: m.notesRestricted },
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

/** The meeting's own fields, as both create and update take them. Notes the editor may not read are left out. */
export function meetingFields(d: MeetingDraft, notesHidden: boolean) {
  const { fields: f, place, notes } = d;
  return {
    kind: f.kind,
    title: f.title.trim(),
    startsAt: zonedToUtc(f.start, f.timeZone)!,
    endsAt: zonedToUtc(f.end, f.timeZone)!,
    timeZone: f.timeZone,
    city: place.city.trim() || null,
    venue: place.placeKind === 'place' ? place.venue.trim() || null : null,
    online: place.placeKind === 'online',
    restricted: notes.restricted,
    // notes the editor may not read are left alone, never overwritten with an empty field
    ...(notesHidden ? {} : { notes: notes.notes.trim() ? notes.notes : null, notesRestricted: notes.notesRestricted }),
    organisations: d.organisations.map((o) => ({ organisationId: o.organisationId, role: o.role })),
    people: d.people.map((p) => ({ personId: p.personId, organisationId: p.organisationId || null, role: p.role.trim() || 'participant' })),
    staffIds: d.staffTopics.staffIds,
    topicIds: d.staffTopics.topicIds,
  };
}

export const sharedItemBody = (s: SharedRow) => ({ organisationId: s.organisationId, topicId: s.topicId || null, kind: s.kind, body: s.body, restricted: s.restricted });
export const followUpBody = (f: FollowUpRow) => ({ title: f.title.trim(), ownerId: f.ownerId, dueDate: f.dueDate || null, organisationId: f.organisationId || null });

/** Whether a recorded shared item differs from its row (so it needs an update). */
export function sharedItemChanged(old: SharedItem, s: SharedRow): boolean {
  return old.organisationId !== s.organisationId || (old.topicId ?? '') !== s.topicId || old.kind !== s.kind || old.body !== s.body || old.restricted !== s.restricted;
}

/** The checks made before sending, by field name (undefined where a field is fine). */
export function checkDraft(t: TFunction, d: MeetingDraft): Record<string, string | undefined> {
  const { start, end, timeZone, title } = d.fields;
  const checks: Record<string, string | undefined> = {
    title: title.trim() ? undefined : t('errors.field.required'),
    startsAt: zonedToUtc(start, timeZone) ? undefined : t('errors.field.required'),
    endsAt: zonedToUtc(end, timeZone) ? undefined : t('errors.field.required'),
  };
  const s = zonedToUtc(start, timeZone);
  const en = zonedToUtc(end, timeZone);
  if (s && en && Date.parse(en) <= Date.parse(s)) checks.endsAt = t('meeting.form.endBeforeStart');
  d.sharedItems.forEach((r, i) => {
    if (!r.organisationId) checks[`sharedItems.${i}.organisationId`] = t('errors.field.required');
    if (!r.body.trim()) checks[`sharedItems.${i}.body`] = t('errors.field.required');
  });
  d.followUps.forEach((r, i) => {
    if (!r.title.trim()) checks[`followUps.${i}.title`] = t('errors.field.required');
    if (!r.ownerId) checks[`followUps.${i}.ownerId`] = t('errors.field.required');
  });
  return checks;
}

/** Errors of a sub-request (one shared item, one follow-up) named as fields of the whole form. */
export function prefixed(err: unknown, prefix: string): unknown {
  if (!(err instanceof ApiError)) return err;
  const fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [`${prefix}.${k}`, v]));
  return new ApiError(err.status, err.code, err.message, Object.keys(fields).length ? fields : { [`${prefix}.body`]: err.message }, err.retryAfter);
}

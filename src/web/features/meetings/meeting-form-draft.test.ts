import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { CreateMeetingSchema, UpdateMeetingSchema } from '../../../server/features/meetings/meetings.contract.ts';
import { ApiError } from '../../api.ts';
import { blankDraft, checkDraft, draftFromMeeting, followUpBody, meetingFields, prefixed, sharedItemBody, sharedItemChanged, type MeetingDraft } from './meeting-form-draft.ts';
import type { Meeting, SharedItem } from './meetings.api.ts';

// The meeting form's draft: what it starts from, what it checks, and what it sends (the server's strict schemas accept it).

const t = ((key: string) => key) as unknown as TFunction;
const ORG = '11111111-1111-4111-8111-111111111111';
const PERSON = '22222222-2222-4222-8222-222222222222';
const TOPIC = '33333333-3333-4333-8333-333333333333';

const sharedItem = { id: 'si-1', organisationId: ORG, topicId: null, kind: 'concern', body: 'Checkpoint delays', restricted: false } as unknown as SharedItem;
const meeting = {
  id: 'm-1',
  kind: 'group',
  title: 'Water in Ramallah',
  startsAt: '2024-07-09T07:00:00.000Z',
  endsAt: '2024-07-09T08:30:00.000Z',
  timeZone: 'Asia/Hebron',
  city: 'Ramallah',
  venue: null,
  online: false,
  notes: 'Met at the office.',
  notesHidden: false,
  notesRestricted: true,
  restricted: false,
  mayChangeStaff: true,
  organisations: [{ organisationId: ORG, name: 'Water Forum', names: [{ name: 'منتدى المياه', script: 'arabic', kind: 'official' }], role: 'host' }],
  people: [{ personId: PERSON, displayName: 'Layla H.', organisationId: null, role: 'speaker' }],
  staff: [{ userId: 'user-1', name: 'Dana' }],
  topics: [{ id: TOPIC }],
  sharedItems: [sharedItem],
  followUps: [],
} as unknown as Meeting;

describe('the meeting form draft', () => {
  it('starts from a recorded meeting in the place’s wall time, organisations named in the reader’s script', () => {
    const d = draftFromMeeting(meeting, 'ar');
    expect(d.fields).toEqual({ kind: 'group', title: 'Water in Ramallah', start: '2024-07-09T10:00', end: '2024-07-09T11:30', timeZone: 'Asia/Hebron' });
    expect(d.organisations).toEqual([{ organisationId: ORG, role: 'host', name: 'منتدى المياه' }]);
    expect(d.people).toEqual([{ personId: PERSON, organisationId: '', role: 'speaker', name: 'Layla H.' }]);
    expect(d.notes).toEqual({ notes: 'Met at the office.', restricted: false, notesRestricted: true });
    expect(d.sharedItems.map((s) => s.id)).toEqual(['si-1']);
  });

  it('sends what the update schema takes, and no display name', () => {
    const body = meetingFields(draftFromMeeting(meeting, 'en'), false);
    expect(UpdateMeetingSchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      startsAt: '2024-07-09T07:00:00.000Z',
      endsAt: '2024-07-09T08:30:00.000Z',
      city: 'Ramallah',
      venue: null,
      online: false,
      notes: 'Met at the office.',
      notesRestricted: true,
      organisations: [{ organisationId: ORG, role: 'host' }],
      people: [{ personId: PERSON, organisationId: null, role: 'speaker' }],
      staffIds: ['user-1'],
      topicIds: [TOPIC],
    });
    expect(body.organisations[0]).not.toHaveProperty('name');
  });

  it('leaves notes the editor may not read out of the body, so they are never overwritten', () => {
    const body = meetingFields(draftFromMeeting(meeting, 'en'), true);
    expect(body).not.toHaveProperty('notes');
    expect(body).not.toHaveProperty('notesRestricted');
    expect(body.restricted).toBe(false);
  });

  it('sends an online meeting without a venue, and a new meeting with its shared items and follow-ups as the create schema takes them', () => {
    const d: MeetingDraft = {
      ...blankDraft('user-1'),
      fields: { kind: 'call', title: ' Call ', start: '2024-07-09T10:00', end: '2024-07-09T11:00', timeZone: 'Europe/London' },
      place: { placeKind: 'online', city: ' ', venue: 'ignored' },
      organisations: [{ organisationId: ORG, role: 'participant', name: 'Water Forum' }],
      people: [{ personId: PERSON, organisationId: ORG, role: ' ', name: 'Layla H.' }],
      sharedItems: [{ key: 'row-a', organisationId: ORG, topicId: '', kind: 'request', body: 'Permits', restricted: true }],
      followUps: [{ key: 'row-b', title: ' Send the report ', ownerId: 'user-1', dueDate: '', organisationId: '' }],
    };
    const body = { ...meetingFields(d, false), sharedItems: d.sharedItems.map(sharedItemBody), followUps: d.followUps.map(followUpBody) };
    expect(CreateMeetingSchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ title: 'Call', city: null, venue: null, online: true, startsAt: '2024-07-09T09:00:00.000Z', notes: null, staffIds: ['user-1'] });
    expect(body.people).toEqual([{ personId: PERSON, organisationId: ORG, role: 'participant' }]);
    expect(body.sharedItems).toEqual([{ organisationId: ORG, topicId: null, kind: 'request', body: 'Permits', restricted: true }]);
    expect(body.followUps).toEqual([{ title: 'Send the report', ownerId: 'user-1', dueDate: null, organisationId: null }]);
  });

  it('names each field that is missing or wrong before anything is sent', () => {
    const d: MeetingDraft = {
      ...blankDraft(undefined),
      fields: { kind: 'group', title: '  ', start: '2024-07-09T10:00', end: '2024-07-09T09:00', timeZone: 'Asia/Jerusalem' },
      sharedItems: [{ key: 'row-a', organisationId: '', topicId: '', kind: 'concern', body: ' ', restricted: false }],
      followUps: [{ key: 'row-b', title: '', ownerId: '', dueDate: '', organisationId: '' }],
    };
    const bad = Object.entries(checkDraft(t, d)).filter(([, v]) => v);
    expect(Object.fromEntries(bad)).toEqual({
      title: 'errors.field.required',
      endsAt: 'meeting.form.endBeforeStart',
      'sharedItems.0.organisationId': 'errors.field.required',
      'sharedItems.0.body': 'errors.field.required',
      'followUps.0.title': 'errors.field.required',
      'followUps.0.ownerId': 'errors.field.required',
    });
    expect(Object.values(checkDraft(t, blankDraft('user-1'))).filter(Boolean)).toEqual(['errors.field.required']);
  });

  it('names a sub-request’s errors as fields of the whole form', () => {
    const e = prefixed(new ApiError(400, 'invalid', 'Invalid', { body: 'Required' }), 'sharedItems.2') as ApiError;
    expect(e.fields).toEqual({ 'sharedItems.2.body': 'Required' });
    const bare = prefixed(new ApiError(404, 'not_found', 'No such organisation'), 'followUps.0') as ApiError;
    expect(bare.fields).toEqual({ 'followUps.0.body': 'No such organisation' });
    expect(prefixed('offline', 'x')).toBe('offline');
  });

  it('updates a shared item only when one of its fields changed', () => {
    const row = draftFromMeeting(meeting, 'en').sharedItems[0]!;
    expect(sharedItemChanged(sharedItem, row)).toBe(false);
    expect(sharedItemChanged(sharedItem, { ...row, restricted: true })).toBe(true);
    expect(sharedItemChanged(sharedItem, { ...row, topicId: TOPIC })).toBe(true);
  });
});

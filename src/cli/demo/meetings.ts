// How a demo meeting is recorded: its row, organisations, people, staff and topics, a grant for its author when
// it is restricted, shared items from the member organisations present, and its follow-ups.
import { normalizeName } from '../../server/features/network/names.ts';
import type { Member, Seed } from './seed.ts';
import { SHARED_ITEMS } from './topics.ts';
import { day } from './time.ts';

export type MeetingDraft = {
  kind: string;
  title: string;
  start: Date;
  minutes: number;
  timeZone: string;
  city?: string | null;
  venue?: string | null;
  online?: boolean;
  notes?: string | null;
  notesRestricted?: boolean;
  restricted?: boolean;
  orgs: { id: string; role?: string }[];
  people?: { id: string; organisationId?: string; role?: string }[];
  staff: string[];
  topics: string[];
  /** how many shared items the member organisations present raise */
  items?: number;
  followUps?: { title: string; ownerId: string; dueDate: string; status?: string; organisationId?: string }[];
};

/** The function that adds a meeting to the rows; returns its id. */
export type AddMeeting = (m: MeetingDraft) => string;

export function meetingRecorder({ rng, now, writers, writer, rows }: Seed, topicId: (key: string) => string, members: Member[]): AddMeeting {
  const memberById = new Map(members.map((m) => [m.id, m]));
  return (m) => {
    const id = rng.uuid();
    const createdBy = m.staff.find((s) => writers.includes(s)) ?? writer();
    const end = new Date(m.start.getTime() + m.minutes * 60_000);
    rows.meetings.push({
      id,
      kind: m.kind,
      title: m.title,
      titleNorm: normalizeName(m.title),
      startsAt: m.start,
      endsAt: end,
      timeZone: m.timeZone,
      city: m.online ? null : (m.city ?? null),
      venue: m.online ? null : (m.venue ?? null),
      online: m.online ?? false,
      notes: m.notes ?? null,
      notesRestricted: m.notesRestricted ?? false,
      restricted: m.restricted ?? false,
      createdBy,
      createdAt: end,
      updatedAt: end,
    });
    const staffIds = [...new Set(m.staff)];
    for (const o of m.orgs) rows.meetingOrganisations.push({ meetingId: id, organisationId: o.id, role: o.role ?? 'participant' });
    for (const p of m.people ?? []) rows.meetingPeople.push({ meetingId: id, personId: p.id, organisationId: p.organisationId ?? null, role: p.role ?? 'participant' });
    for (const s of staffIds) rows.meetingStaff.push({ meetingId: id, userId: s });
    for (const t of [...new Set(m.topics)]) rows.meetingTopics.push({ meetingId: id, topicId: topicId(t) });
    if (m.restricted || m.notesRestricted) rows.grants.push({ id: rng.uuid(), recordType: 'meeting', recordId: id, userId: createdBy, grantedBy: createdBy });
    const memberOrgs = m.orgs.map((o) => memberById.get(o.id)).filter((x): x is Member => !!x);
    for (let k = 0; k < (m.items ?? 0) && memberOrgs.length; k++) {
      const org = rng.pick(memberOrgs);
      const item = rng.pick(SHARED_ITEMS);
      const body = org.country === 'PS' ? item.ar : rng.chance(0.6) ? item.he : item.en;
      const age = (now.getTime() - end.getTime()) / 86_400_000;
      const status = age > 120 ? rng.pick(['addressed', 'closed', 'open']) : age > 30 ? rng.pick(['open', 'addressed']) : 'open';
      rows.sharedItems.push({ id: rng.uuid(), meetingId: id, organisationId: org.id, topicId: topicId(item.topic), kind: item.kind, body, bodyNorm: normalizeName(body), status, restricted: false, createdBy, createdAt: end, updatedAt: end });
    }
    for (const f of m.followUps ?? []) {
      const status = f.status ?? 'open';
      rows.followUps.push({ id: rng.uuid(), title: f.title, ownerId: f.ownerId, dueDate: f.dueDate, status, meetingId: id, organisationId: f.organisationId ?? null, createdBy, createdAt: end, completedAt: status === 'done' ? new Date(Date.parse(`${f.dueDate}T12:00:00Z`)) : null });
    }
    return id;
  };
}

/** The staff the story names (each falls back to any writer when its account is missing), and everyone who writes. */
export type Cast = { everyone: string[]; noa: string; rana: string; lena: string; oliver: string; james: string; camille: string; today: string };

export function castOf({ now, staff, byLocal, writer }: Seed): Cast {
  const everyone = staff.filter((s) => s.local !== 'samer').map((s) => s.id);
  const noa = byLocal('noa') ?? writer();
  const rana = byLocal('rana') ?? writer();
  const lena = byLocal('lena') ?? writer();
  const oliver = byLocal('oliver') ?? writer();
  const james = byLocal('james') ?? writer();
  const camille = byLocal('camille') ?? writer();
  const today = day(now);
  return { everyone, noa, rana, lena, oliver, james, camille, today };
}

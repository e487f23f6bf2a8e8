// The demo's G7 campaign ("One real week" in docs/product.md): after the G7 leaders' communiqué, the alliance presses
// three asks on the seven G7 embassies in Tel Aviv and their diplomats. A year of stance history with its evidence
// (meetings recorded in Network, public statements, the communiqué's passages, our judgement), and the meetings with
// the missions tagged with the campaign. Restricted (the default for campaigns), owned by the administrator and
// shared with the staff. Deterministic: the same seed and `now` give the same history.
import { and, asc, eq, inArray, like, lte, sql } from 'drizzle-orm';
import type { Db } from '../../server/db/client.ts';
import { accessGrant } from '../../server/access/access.schema.ts';
import { recordAudit } from '../../server/features/audit/audit.service.ts';
import {
  campaign,
  campaignAsk,
  campaignDocument,
  campaignDocumentPassage,
  campaignMeeting,
  campaignMeetingAsk,
  campaignMeetingTarget,
  campaignStance,
  campaignTarget,
  STANCE_VALUES,
} from '../../server/features/campaigns/campaigns.schema.ts';
import { meeting, meetingOrganisation } from '../../server/features/meetings/meetings.schema.ts';
import { affiliation, organisation } from '../../server/features/network/network.schema.ts';
import { makeRng } from './rng.ts';
import { addDays, day } from './time.ts';

export const G7_CAMPAIGN_NAME = { en: 'G7: civil society in the day-after', he: 'G7: החברה האזרחית ביום שאחרי', ar: 'مجموعة السبع: المجتمع المدني في اليوم التالي' };

const ASKS = [
  { en: 'A role for civil society in the day-after framework', he: 'תפקיד לחברה האזרחית במסגרת של היום שאחרי', ar: 'دور للمجتمع المدني في إطار اليوم التالي' },
  { en: 'An international fund for Israeli–Palestinian peacebuilding', he: 'קרן בינלאומית לבניית שלום ישראלית–פלסטינית', ar: 'صندوق دولي لبناء السلام الإسرائيلي الفلسطيني' },
  { en: 'Protection for civil society partners: permits and access', he: 'הגנה על שותפים בחברה האזרחית: היתרים וגישה', ar: 'حماية شركاء المجتمع المدني: التصاريح والوصول' },
];

const STATEMENTS = [
  'We support an inclusive process in which civil society has a voice.',
  'Any lasting arrangement will need the trust of both societies.',
  'We are studying proposals for international support to people-to-people work.',
  'Access for humanitarian and civil society workers remains a priority for us.',
];
const JUDGEMENTS = [
  'Warm in private, but will not move ahead of the other capitals.',
  'Asked for our paper and promised to pass it to the capital.',
  'Non-committal: listened, asked about costs.',
  'Repeated the capital’s line; no opening this time.',
];

type Value = (typeof STANCE_VALUES)[number];
const LADDER: Value[] = ['opposed', 'sceptical', 'neutral', 'supportive', 'champion'];

/** Seeds the G7 campaign once (nothing when a campaign exists). Returns its id, or null when skipped. */
export async function seedDemoCampaign(db: Db, opts: { staffByEmail: Record<string, string>; now?: Date; seed?: number }): Promise<string | null> {
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(campaign)) as [{ n: number }];
  if (n > 0) return null;
  const rng = makeRng(opts.seed ?? 77);
  const now = opts.now ?? new Date();
  const today = day(now);
  const ownerId = opts.staffByEmail['admin@demo.convene.example']!;
  const staff = Object.values(opts.staffByEmail);
  const recorders = ['lena@demo.convene.example', 'noa@demo.convene.example', 'rana@demo.convene.example', 'oliver@demo.convene.example'].map((e) => opts.staffByEmail[e]!).filter(Boolean);

  const embassies = await db
    .select({ id: organisation.id, name: organisation.name })
    .from(organisation)
    .where(and(eq(organisation.kind, 'mission'), like(organisation.name, 'Embassy of %')))
    .orderBy(asc(organisation.name));
  if (!embassies.length) return null;
  const officials = await db
    .select({ personId: affiliation.personId, organisationId: affiliation.organisationId })
    .from(affiliation)
    .where(inArray(affiliation.organisationId, embassies.map((e) => e.id)))
    .orderBy(asc(affiliation.organisationId), asc(affiliation.personId));

  const startsOn = day(addDays(now, -365));
  const [c] = await db
    .insert(campaign)
    .values({
      name: G7_CAMPAIGN_NAME,
      goal: {
        en: 'After the G7 leaders’ communiqué: every G7 capital commits to a role for Israeli and Palestinian civil society in any diplomatic initiative for the day after.',
        he: 'בעקבות הודעת מנהיגי G7: כל בירות G7 מתחייבות לתפקיד לחברה האזרחית הישראלית והפלסטינית בכל יוזמה מדינית ליום שאחרי.',
        ar: 'بعد بيان قادة مجموعة السبع: تلتزم كل عواصم المجموعة بدور للمجتمع المدني الإسرائيلي والفلسطيني في أي مبادرة دبلوماسية لليوم التالي.',
      },
      ownerId,
      startsOn,
      endsOn: day(addDays(now, 180)),
      restricted: true,
      createdBy: ownerId,
      createdAt: addDays(now, -365),
      updatedAt: addDays(now, -365),
    })
    .returning({ id: campaign.id });
  const campaignId = c!.id;
  for (const userId of staff) if (userId !== ownerId) await db.insert(accessGrant).values({ recordType: 'campaign', recordId: campaignId, userId, grantedBy: ownerId });
  const asks = await db
    .insert(campaignAsk)
    .values(ASKS.map((text, position) => ({ campaignId, text, position })))
    .returning({ id: campaignAsk.id });

  const [doc] = await db
    .insert(campaignDocument)
    .values({ campaignId, title: 'G7 Leaders’ Communiqué (fictional)', kind: 'link', url: 'https://example.org/g7-communique', createdBy: ownerId })
    .returning({ id: campaignDocument.id });
  const passages = await db
    .insert(campaignDocumentPassage)
    .values([
      { documentId: doc!.id, quote: 'We recognise the essential role of civil society in building the conditions for a lasting peace.', locator: '§ 14', position: 0 },
      { documentId: doc!.id, quote: 'We will explore international support for initiatives that bring Israelis and Palestinians together.', locator: '§ 15', position: 1 },
    ])
    .returning({ id: campaignDocumentPassage.id });

  const targets = await db
    .insert(campaignTarget)
    .values([
      ...embassies.map((e) => ({ campaignId, organisationId: e.id, groupLabel: 'G7', createdBy: ownerId })),
      ...[...new Set(officials.map((o) => o.personId))].map((personId) => ({ campaignId, personId, groupLabel: 'G7 officials', createdBy: ownerId })),
    ])
    .returning({ id: campaignTarget.id, organisationId: campaignTarget.organisationId, personId: campaignTarget.personId });

  // the year's meetings with each embassy (the demo's Network), held already
  const met = await db
    .select({ meetingId: meeting.id, organisationId: meetingOrganisation.organisationId, startsAt: meeting.startsAt, restricted: meeting.restricted })
    .from(meetingOrganisation)
    .innerJoin(meeting, eq(meeting.id, meetingOrganisation.meetingId))
    .where(and(inArray(meetingOrganisation.organisationId, embassies.map((e) => e.id)), lte(meeting.startsAt, now), sql`${meeting.startsAt} >= ${addDays(now, -365)}`))
    .orderBy(asc(meeting.startsAt), asc(meeting.id));
  const meetingsOf = (orgId: string) => met.filter((m) => m.organisationId === orgId && !m.restricted);

  // tag them: the embassy met, and one or two asks discussed
  const tagged = new Set<string>();
  for (const m of met) {
    if (m.restricted) continue;
    const target = targets.find((t) => t.organisationId === m.organisationId)!;
    if (!tagged.has(m.meetingId)) {
      tagged.add(m.meetingId);
      await db.insert(campaignMeeting).values({ campaignId, meetingId: m.meetingId, taggedBy: ownerId, taggedAt: m.startsAt });
      for (const a of rng.sample(asks, rng.int(1, 2))) await db.insert(campaignMeetingAsk).values({ campaignId, meetingId: m.meetingId, askId: a.id });
    }
    await db.insert(campaignMeetingTarget).values({ campaignId, meetingId: m.meetingId, targetId: target.id }).onConflictDoNothing();
  }

  // a year of stances: each embassy starts somewhere on each ask and moves two to four times, mostly towards us
  const stances: (typeof campaignStance.$inferInsert)[] = [];
  for (const t of targets) {
    const isEmbassy = !!t.organisationId;
    for (const a of asks) {
      if (!isEmbassy && !rng.chance(0.35)) continue;
      let rung = rng.int(0, 2);
      const moves = isEmbassy ? rng.int(2, 4) : 1;
      const days = [...new Set(Array.from({ length: moves + 1 }, (_, i) => (i === 0 ? 360 : rng.int(5, 340))))].sort((x, y) => y - x);
      for (const [i, ago] of days.entries()) {
        if (i > 0) rung = Math.max(0, Math.min(LADDER.length - 1, rung + (rng.chance(0.75) ? 1 : -1)));
        const asOfDate = addDays(now, -ago);
        const recordedBy = rng.pick(recorders);
        const recordedAt = addDays(asOfDate, rng.int(0, 3) / 4);
        const base = { campaignId, targetId: t.id, askId: a.id, value: LADDER[rung]!, recordedBy, recordedAt: recordedAt > now ? now : recordedAt };
        const meetingsBefore = isEmbassy ? meetingsOf(t.organisationId!).filter((m) => m.startsAt <= asOfDate) : [];
        const pick = rng();
        if (meetingsBefore.length && pick < 0.45) {
          const m = meetingsBefore.at(-1)!;
          stances.push({ ...base, asOf: day(m.startsAt), evidenceKind: 'meeting', meetingId: m.meetingId });
        } else if (pick < 0.65) {
          stances.push({ ...base, asOf: day(asOfDate), evidenceKind: 'statement', statementUrl: `https://example.org/statements/${rng.int(1000, 9999)}`, statementQuote: rng.pick(STATEMENTS) });
        } else if (pick < 0.8) {
          stances.push({ ...base, asOf: day(asOfDate), evidenceKind: 'document_passage', passageId: rng.pick(passages).id });
        } else {
          stances.push({ ...base, asOf: day(asOfDate), evidenceKind: 'judgement', reason: rng.pick(JUDGEMENTS) });
        }
      }
    }
  }
  for (const s of stances) if (s.asOf! > today) s.asOf = today;
  for (let i = 0; i < stances.length; i += 500) await db.insert(campaignStance).values(stances.slice(i, i + 500));
  await recordAudit(
    db,
    { actor: null, ip: 'demo', userAgent: 'npm run demo' },
    { action: 'campaign.seed_demo', entityType: 'campaign', entityId: campaignId, detail: { targets: targets.length, stances: stances.length, meetings: tagged.size } },
  );
  return campaignId;
}

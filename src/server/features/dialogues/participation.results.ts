import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rows } from '../../db/client.ts';
import { AppError } from '../../core/errors.ts';
import { dialogueParticipant, dialogueStatement, dialogueVote } from './dialogues.schema.ts';
import type { Results } from './participation.contract.ts';
import { segmentChoices, visibleStatuses, type InviteContext } from './participation.invites.ts';
import { statementViews } from './participation.next.ts';

/** Per-segment agree rates of the statements, when the facilitator shows results (agreed by everyone first). */
export async function results(db: Db, ctx: InviteContext, lang: string): Promise<Results> {
  if (!ctx.dialogue.resultsVisible) throw new AppError('forbidden', 'results_hidden', 'The results of this dialogue are not shown.');
  const statuses = visibleStatuses(ctx.dialogue.moderation);
  const tallies = await rows<{ statement_id: string; segment_id: string | null; votes: number | string; agree: number | string; disagree: number | string }>(
    db,
    sql`select v.statement_id, p.segment_id, count(*) as votes,
               count(*) filter (where v.value = 1) as agree, count(*) filter (where v.value = -1) as disagree
          from ${dialogueVote} v
          join ${dialogueParticipant} p on p.id = v.participant_id
          join ${dialogueStatement} s on s.id = v.statement_id
         where v.dialogue_id = ${ctx.dialogue.id} and s.status in (${sql.join(statuses.map((x) => sql`${x}`), sql`, `)})
         group by v.statement_id, p.segment_id`,
  );
  const by = new Map<string, Results['statements'][number]['bySegment']>();
  for (const t of tallies) {
    const list = by.get(t.statement_id) ?? [];
    const votes = Number(t.votes);
    list.push({ segmentId: t.segment_id, votes, agree: Number(t.agree), disagree: Number(t.disagree), agreeRate: votes ? Number(t.agree) / votes : 0 });
    by.set(t.statement_id, list);
  }
  const segOrder = new Map(ctx.segments.map((s, i) => [s.id, i]));
  const ranked = [...by.entries()]
    .map(([id, list]) => {
      list.sort((a, b) => (segOrder.get(a.segmentId ?? '') ?? 99) - (segOrder.get(b.segmentId ?? '') ?? 99));
      const votes = list.reduce((s, x) => s + x.votes, 0);
      const agree = list.reduce((s, x) => s + x.agree, 0);
      // agreed by everyone: a segment that has not voted on it counts as not agreeing (yet)
      const rates = ctx.segments.length ? ctx.segments.map((s) => list.find((x) => x.segmentId === s.id)?.agreeRate ?? 0) : list.map((x) => x.agreeRate);
      return { id, list, votes, agree, least: Math.min(...rates) };
    })
    .sort((a, b) => b.least - a.least || b.votes - a.votes || (a.id < b.id ? -1 : 1))
    .slice(0, 100);
  const views = await statementViews(db, ranked.map((r) => r.id), lang);
  return {
    segments: segmentChoices(ctx, lang),
    statements: ranked.filter((r) => views.has(r.id)).map((r) => ({ statement: views.get(r.id)!, votes: r.votes, agree: r.agree, bySegment: r.list })),
  };
}

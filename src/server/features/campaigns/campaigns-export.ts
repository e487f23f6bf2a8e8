import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { auditRestrictedReads } from '../../access/need-to-know.ts';
import { campaignReader, currentCells, visibleStances } from '../../access/campaigns.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { BOM, csvLine, type Cell } from '../imports/csv.ts';
import { asksOf, citedRestrictedMeetings, loadVisibleCampaign, selectStances, targetsOf, type StanceRow } from './campaigns.service.ts';
import type { Localized } from './campaigns.schema.ts';

// A campaign as CSV (docs/campaigns.md, "Exports"): the grid (one row per target, one column per ask: the current
// stance as the reader sees it) and every stance with its evidence. Both read exactly what the campaign's pages read
// (visibleStances / currentCells, targetsOf), so a stance or target hidden from the reader is not in the file,
// and the file audits the restricted records it shows (the campaign, restricted people as targets, restricted meetings
// cited) as the grid does. Every cell goes through the one CSV writer (imports/csv.ts: formulas defused).

export type CampaignExport = 'grid' | 'stances';

const text = (l: Localized | undefined) => [l?.en, l?.he, l?.ar].find(Boolean) ?? '';

export async function exportCampaignCsv(db: Db, ctx: RequestContext, id: string, what: CampaignExport, bom: boolean): Promise<{ body: string; fileName: string }> {
  const actor = campaignReader(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const asks = await asksOf(db, c.id);
  const { targets, restrictedPeople } = await targetsOf(db, actor, c.id);
  const lines: string[] = [];
  const push = (cells: Cell[]) => lines.push(csvLine(cells));
  let cited: { meeting_id: string | null; meeting_restricted: boolean | null }[];
  const askNo = new Map(asks.map((a, i) => [a.id, i + 1]));
  const target = new Map(targets.map((t) => [t.id, t]));

  if (what === 'grid') {
    // the grid's cells, as the grid reads them (the read model, guarded cells per reader)
    const cells = await rows<{ target_id: string; ask_id: string; value: string; meeting_id: string | null; meeting_restricted: boolean }>(db, currentCells(actor, c.id));
    const shown = cells.filter((s) => target.has(s.target_id));
    cited = shown;
    const current = new Map(shown.map((s) => [`${s.target_id}:${s.ask_id}`, s]));
    push(['target', 'kind', 'group', ...asks.map((a, i) => `ask_${i + 1}: ${text(a.text)}`), 'target_id']);
    for (const t of targets) push([t.name, t.kind, t.groupLabel, ...asks.map((a) => current.get(`${t.id}:${a.id}`)?.value ?? 'unknown'), t.id]);
  } else {
    const stances = await rows<StanceRow>(db, selectStances(visibleStances(actor, c.id), sql`true`, sql`st.target_id, st.ask_id, st.as_of DESC, st.recorded_at DESC, st.id DESC`));
    cited = stances;
    const passages = new Map(
      (
        await rows<{ id: string; quote: string; locator: string | null; title: string }>(
          db,
          sql`SELECT p.id, p.quote, p.locator, d.title FROM campaign_document_passage p JOIN campaign_document d ON d.id = p.document_id WHERE d.campaign_id = ${c.id}`,
        )
      ).map((p) => [p.id, p]),
    );
    push(['target', 'group', 'ask_number', 'ask', 'stance', 'as_of', 'evidence', 'meeting', 'meeting_id', 'statement_url', 'quote', 'document', 'locator', 'reason', 'note', 'recorded_by', 'recorded_at', 'id']);
    // targets in the grid's order, each cell's history newest first
    const order = new Map(targets.map((t, i) => [t.id, i]));
    stances.sort((a, b) => (order.get(a.target_id) ?? 0) - (order.get(b.target_id) ?? 0) || (askNo.get(a.ask_id) ?? 0) - (askNo.get(b.ask_id) ?? 0));
    for (const s of stances) {
      const t = target.get(s.target_id);
      const p = s.passage_id ? passages.get(s.passage_id) : undefined;
      push([
        t?.name,
        t?.groupLabel,
        askNo.get(s.ask_id),
        text(asks.find((a) => a.id === s.ask_id)?.text),
        s.value,
        s.as_of,
        s.evidence_kind,
        s.meeting_title,
        s.meeting_id,
        s.statement_url,
        s.statement_quote ?? p?.quote,
        p?.title,
        p?.locator,
        s.reason,
        s.note,
        s.recorded_by_name,
        new Date(s.recorded_at as string).toISOString(),
        s.id,
      ]);
    }
  }
  await auditRestrictedReads(db, ctx, [
    ...(c.restricted ? [{ entityType: 'campaign', entityId: c.id }] : []),
    ...restrictedPeople.map((p) => ({ entityType: 'person', entityId: p })),
    ...citedRestrictedMeetings(cited),
  ]);
  await recordAudit(db, ctx, { action: 'campaign.export', entityType: 'campaign', entityId: c.id, detail: { what, rows: lines.length - 1, bom } });
  const day = new Date().toISOString().slice(0, 10);
  return { body: (bom ? BOM : '') + lines.join(''), fileName: `campaign-${what}-${day}.csv` };
}

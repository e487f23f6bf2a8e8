import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';

/**
 * Merging two Network records (imports/merge.service.ts) keeps every campaign target of the merged-away one, with its
 * stance history and meeting tags, on the kept record. Where a campaign targets both, the merged-away target's
 * stances and tags join the kept target's (one history, in date order) and the merged-away target goes; elsewhere the
 * target is re-pointed. Runs in the merge's transaction. Returns how many targets were moved or joined.
 */
export async function moveCampaignTargets(tx: Db, kind: 'organisation' | 'person', fromId: string, toId: string): Promise<number> {
  const column = sql.raw(kind === 'organisation' ? 'organisation_id' : 'person_id');
  const pairs = await rows<{ gone: string; kept: string | null }>(
    tx,
    sql`SELECT g.id AS gone, k.id AS kept
          FROM campaign_target g
          LEFT JOIN campaign_target k ON k.campaign_id = g.campaign_id AND k.${column} = ${toId}::uuid
         WHERE g.${column} = ${fromId}::uuid`,
  );
  for (const { gone, kept } of pairs) {
    if (!kept) {
      await tx.execute(sql`UPDATE campaign_target SET ${column} = ${toId}::uuid WHERE id = ${gone}::uuid`);
      continue;
    }
    await tx.execute(sql`UPDATE campaign_stance SET target_id = ${kept}::uuid WHERE target_id = ${gone}::uuid`);
    await tx.execute(sql`INSERT INTO campaign_meeting_target (campaign_id, meeting_id, target_id)
      SELECT campaign_id, meeting_id, ${kept}::uuid FROM campaign_meeting_target WHERE target_id = ${gone}::uuid
      ON CONFLICT DO NOTHING`);
    await tx.execute(sql`DELETE FROM campaign_target WHERE id = ${gone}::uuid`);
  }
  return pairs.length;
}

import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import { can, type Actor } from '../../access/roles.ts';
import { campaignRowVisible } from '../../access/campaigns.ts';
import { normalizeName } from '../network/names.ts';
import { scoreText, trigramCodes, typos } from '../insights/search-text.ts';
import type { Localized } from './campaigns.schema.ts';

// Campaigns in the one search box (/api/search, insights/search.service.ts), by their name, goal and asks in any of
// the three languages. A coalition runs a handful of campaigns at a time, so they are not in the in-memory word index:
// the database gives the campaigns the reader may see (access/campaigns.ts, the rule of the campaign pages), and their
// texts are matched here the way the index matches (folded as names.ts folds names; every typed word of three letters
// or more found at the start of a word, inside one, or with one typo from four letters). A campaign the reader may not
// see is never read, so it can be neither shown nor counted.

export type CampaignHit = { id: string; title: string; subtitle: string | null; score: number; matched: string; restricted: boolean };

const words = (norm: string) => norm.split(' ').filter(Boolean);

/** Every typed word that counts (three letters or more, or every word when all are shorter) matches a word of the text. */
function matches(typed: string[], text: string[]): boolean {
  const long = typed.filter((w) => [...w].length >= 3);
  const need = long.length ? long : typed;
  return need.every((w) => {
    const letters = [...w];
    return text.some((t) => {
      if (t.startsWith(w)) return true;
      if (letters.length >= 3 && t.includes(w)) return true;
      if (letters.length >= 4) return typos(letters, [...t], letters.length >= 8 ? 2 : 1) <= (letters.length >= 8 ? 2 : 1);
      return false;
    });
  });
}

const inLocale = (l: Localized, locale: string) => (l as Record<string, string | undefined>)[locale] ?? l.en ?? l.he ?? l.ar ?? '';

/** Campaigns the actor may see whose name, goal or an ask matches `q`, best first, at most `limit`. */
export async function searchCampaigns(db: Db, actor: Actor, q: string, limit: number): Promise<CampaignHit[]> {
  if (!can(actor, 'campaigns.read')) return [];
  const qNorm = normalizeName(q);
  const typed = words(qNorm);
  if (!typed.length) return [];
  const list = await rows<{ id: string; name: Localized; goal: Localized; restricted: boolean; starts_on: string | null; ends_on: string | null; asks: Localized[] | null }>(
    db,
    sql`SELECT c.id, c.name, c.goal, c.restricted, c.starts_on::text AS starts_on, c.ends_on::text AS ends_on,
        (SELECT json_agg(a.text ORDER BY a.position, a.id) FROM campaign_ask a WHERE a.campaign_id = c.id) AS asks
      FROM campaign c
      WHERE ${campaignRowVisible(actor, { restricted: sql`c.restricted`, ownerId: sql`c.owner_id`, id: sql`c.id` })}`,
  );
  const qGrams = trigramCodes(qNorm);
  const hits: CampaignHit[] = [];
  for (const c of list) {
    // the name counts fully, the goal and asks a little less: a campaign named for what was typed comes first
    const texts: { text: string; weight: number }[] = [
      ...Object.values(c.name).map((text) => ({ text: text as string, weight: 1 })),
      ...Object.values(c.goal ?? {}).map((text) => ({ text: text as string, weight: 0.8 })),
      ...(c.asks ?? []).flatMap((a) => Object.values(a).map((text) => ({ text: text as string, weight: 0.9 }))),
    ];
    let best: { score: number; matched: string } | null = null;
    for (const { text, weight } of texts) {
      const norm = normalizeName(text);
      if (!matches(typed, words(norm))) continue;
      const score = scoreText(norm, qNorm, qGrams) * weight;
      if (!best || score > best.score) best = { score, matched: text.length > 140 ? `${text.slice(0, 139)}…` : text };
    }
    if (!best) continue;
    const period = [c.starts_on, c.ends_on].filter(Boolean).join(' · ');
    hits.push({ id: c.id, title: inLocale(c.name, actor.locale), subtitle: period || null, score: best.score, matched: best.matched, restricted: c.restricted });
  }
  return hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title) || a.id.localeCompare(b.id)).slice(0, limit);
}

import { eq, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import { normalizeName } from '../network/names.ts';
import { postPhoto, postVersion } from './updates.schema.ts';

// The pre-publish safety check (issue 15, item 5): every Network person whose name (any of their names, in any
// script, folded as Network search folds them: network/names.ts) appears in a post's titles, summaries, texts or
// photo captions, with what makes naming them a risk: a person who has not agreed to be named publicly (Network's
// person.named_publicly) is flagged `no_consent`; restricted people are flagged `restricted`, people whose identity is
// need-to-know `pseudonymous`. Only names of two words or more are matched (a first name alone matches too much).
// The check reads every person whatever the reader's grants (it must find the protected ones), so what it answers
// about a protected person is the flag and the name as written in the post, never who they are.

/** a name may come after a one-letter prefix written onto it: Arabic و ب ل ف ك (and ال), Hebrew ו ב ל ה מ ש כ */
const PREFIXES = '(و|ب|ل|ف|ك|ال|وال|بال|ו|ב|ל|ה|מ|ש|כ|וה|וב|ול|שה)?';

export type NameFlag = 'no_consent' | 'pseudonymous' | 'restricted';
export type NamedPerson = { name: string; personId: string | null; displayName: string | null; flags: NameFlag[] };

export async function namesInPost(db: Db, postId: string): Promise<NamedPerson[]> {
  const versions = await db.select().from(postVersion).where(eq(postVersion.postId, postId));
  const photos = await db.select({ caption: postPhoto.caption, credit: postPhoto.credit, alt: postPhoto.alt }).from(postPhoto).where(eq(postPhoto.postId, postId));
  const texts = [...versions.flatMap((v) => [v.title, v.summary, v.body]), ...photos.flatMap((p) => [...Object.values(p.caption), ...Object.values(p.alt), p.credit ?? ''])];
  const folded = ` ${texts.map((t) => normalizeName(t ?? '')).join(' | ')} `;
  const found = await rows<{ person_id: string; name: string; display_name: string; identity_restricted: boolean; restricted: boolean; named_publicly: boolean }>(
    db,
    sql`SELECT DISTINCT ON (pn.person_id) pn.person_id, pn.name, p.display_name, p.identity_restricted, p.restricted, p.named_publicly
        FROM person_name pn JOIN person p ON p.id = pn.person_id
        WHERE pn.norm LIKE '% %' AND length(pn.norm) >= 5 AND position(pn.norm IN ${folded}) > 0
          AND ${folded} ~ ('[ ]' || ${PREFIXES} || pn.norm || '[ ]')
        ORDER BY pn.person_id, length(pn.norm) DESC
        LIMIT 500`,
  );
  return found
    .map((r) => {
      const flags: NameFlag[] = r.named_publicly ? [] : ['no_consent'];
      if (r.identity_restricted) flags.push('pseudonymous');
      if (r.restricted) flags.push('restricted');
      const protectedPerson = r.identity_restricted || r.restricted;
      return { name: r.name, personId: protectedPerson ? null : r.person_id, displayName: protectedPerson ? null : r.display_name, flags };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError, isUuid, notFound } from '../../core/errors.ts';
import { auditRestrictedReads } from '../../access/need-to-know.ts';
import { campaignReader, campaignWriter } from '../../access/campaigns.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { MAX_DOCUMENT_BYTES, type CampaignDocument, type CreatePassageInput, type Passage, type UpdateDocumentInput, type UpdatePassageInput } from './campaigns.contract.ts';
import { campaignDocument, campaignDocumentFile, campaignDocumentPassage, campaignStance } from './campaigns.schema.ts';
import { documentsOf, loadVisibleCampaign } from './campaigns.service.ts';

// Reference documents (docs/campaigns.md, "Documents"): changing and deleting them and their passages, and uploaded
// files. A passage a stance cites is evidence, and a stance's history is kept: it cannot be deleted, nor its quote
// reworded (409 passage_is_evidence naming the passage), nor its document deleted. The answer is the same whether the
// caller sees the citing stance or not (as target_has_history), and it names the passage, never the stance.
//
// An uploaded file's bytes are kept in the database (campaign_document_file, bytea: the store Updates' photos use), at
// most MAX_DOCUMENT_BYTES; its media type is what the bytes are (sniffed here), never what the browser claimed, and
// only the kinds below are taken. It is served only to readers who may see the campaign, as an attachment with
// nosniff (and the site's content security policy), so that no browser ever runs it as a page of this site.

type DocRow = typeof campaignDocument.$inferSelect;

async function loadDocument(db: Db, campaignId: string, documentId: string): Promise<DocRow> {
  if (!isUuid(documentId)) throw notFound('document');
  const [d] = await db
    .select()
    .from(campaignDocument)
    .where(and(eq(campaignDocument.id, documentId), eq(campaignDocument.campaignId, campaignId)));
  if (!d) throw notFound('document');
  return d;
}

async function loadPassage(db: Db, documentId: string, passageId: string) {
  if (!isUuid(passageId)) throw notFound('passage');
  const [p] = await db
    .select()
    .from(campaignDocumentPassage)
    .where(and(eq(campaignDocumentPassage.id, passageId), eq(campaignDocumentPassage.documentId, documentId)));
  if (!p) throw notFound('passage');
  return p;
}

const short = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);
const passageName = (p: { quote: string; locator: string | null }) => (p.locator ? `${p.locator}: “${short(p.quote)}”` : `“${short(p.quote)}”`);

/** The passages among `ids` that some stance cites (whoever recorded it, whoever may see it). */
async function citedPassages(db: Db, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const list = await db.selectDistinct({ id: campaignStance.passageId }).from(campaignStance).where(inArray(campaignStance.passageId, ids));
  return new Set(list.map((r) => r.id!));
}

function isEvidence(passages: { id: string; quote: string; locator: string | null }[], field: (p: { id: string }) => string): AppError {
  return new AppError(
    'conflict',
    'passage_is_evidence',
    `A recorded stance cites ${passages.length === 1 ? 'this passage' : 'these passages'} as evidence, and a stance's history is kept: ${passages.map(passageName).join('; ')}.`,
    passages.map((p) => ({ field: field(p), detail: `Cited by a stance: ${passageName(p)}` })),
  );
}

async function oneDocument(db: Db, campaignId: string, documentId: string): Promise<CampaignDocument> {
  return (await documentsOf(db, campaignId)).find((d) => d.id === documentId)!;
}

export async function updateDocument(db: Db, ctx: RequestContext, id: string, documentId: string, input: UpdateDocumentInput): Promise<CampaignDocument> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const d = await loadDocument(db, c.id, documentId);
  if (input.url !== undefined && d.kind !== 'link') {
    throw new AppError('unprocessable', 'invalid_document', 'An uploaded file has no link to change.', [{ field: 'body.url', detail: 'Not a link document' }]);
  }
  await db.transaction(async (tx) => {
    await tx
      .update(campaignDocument)
      .set({ ...(input.title ? { title: input.title } : {}), ...(input.url ? { url: input.url } : {}) })
      .where(eq(campaignDocument.id, d.id));
    await recordAudit(tx, ctx, { action: 'campaign_document.update', entityType: 'campaign_document', entityId: d.id, detail: { campaignId: c.id, fields: Object.keys(input) } });
  });
  return oneDocument(db, c.id, d.id);
}

/** Deletes a document with its passages and file; 409 passage_is_evidence while a stance cites one of its passages. */
export async function deleteDocument(db: Db, ctx: RequestContext, id: string, documentId: string): Promise<void> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const d = await loadDocument(db, c.id, documentId);
  const passages = await db.select().from(campaignDocumentPassage).where(eq(campaignDocumentPassage.documentId, d.id)).orderBy(campaignDocumentPassage.position, campaignDocumentPassage.id);
  const cited = await citedPassages(db, passages.map((p) => p.id));
  if (cited.size) throw isEvidence(passages.filter((p) => cited.has(p.id)), (p) => `passages.${p.id}`);
  await db.transaction(async (tx) => {
    await tx.delete(campaignDocument).where(eq(campaignDocument.id, d.id));
    await recordAudit(tx, ctx, { action: 'campaign_document.delete', entityType: 'campaign_document', entityId: d.id, detail: { campaignId: c.id, title: d.title, passages: passages.length } });
  });
}

export async function createPassage(db: Db, ctx: RequestContext, id: string, documentId: string, input: CreatePassageInput): Promise<Passage> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const d = await loadDocument(db, c.id, documentId);
  return db.transaction(async (tx) => {
    const [{ next }] = (await rows<{ next: number }>(tx, sql`SELECT coalesce(max(position) + 1, 0)::int AS next FROM campaign_document_passage WHERE document_id = ${d.id}`)) as [{ next: number }];
    const [p] = await tx
      .insert(campaignDocumentPassage)
      .values({ documentId: d.id, quote: input.quote, locator: input.locator ?? null, position: input.position ?? Number(next) })
      .returning();
    await recordAudit(tx, ctx, { action: 'campaign_passage.create', entityType: 'campaign_passage', entityId: p!.id, detail: { campaignId: c.id, documentId: d.id } });
    return { id: p!.id, quote: p!.quote, locator: p!.locator, position: p!.position };
  });
}

/** Changes a passage: its locator and place always; its quote only while no stance cites it (409 passage_is_evidence). */
export async function updatePassage(db: Db, ctx: RequestContext, id: string, documentId: string, passageId: string, input: UpdatePassageInput): Promise<Passage> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const d = await loadDocument(db, c.id, documentId);
  const p = await loadPassage(db, d.id, passageId);
  if (input.quote !== undefined && input.quote !== p.quote && (await citedPassages(db, [p.id])).size) throw isEvidence([p], () => 'body.quote');
  return db.transaction(async (tx) => {
    const [u] = await tx
      .update(campaignDocumentPassage)
      .set({
        ...(input.quote !== undefined ? { quote: input.quote } : {}),
        ...(input.locator !== undefined ? { locator: input.locator } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
      })
      .where(eq(campaignDocumentPassage.id, p.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'campaign_passage.update',
      entityType: 'campaign_passage',
      entityId: p.id,
      detail: { campaignId: c.id, documentId: d.id, fields: Object.keys(input), ...(input.quote !== undefined ? { previousQuote: p.quote } : {}) },
    });
    return { id: u!.id, quote: u!.quote, locator: u!.locator, position: u!.position };
  });
}

export async function deletePassage(db: Db, ctx: RequestContext, id: string, documentId: string, passageId: string): Promise<void> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const d = await loadDocument(db, c.id, documentId);
  const p = await loadPassage(db, d.id, passageId);
  if ((await citedPassages(db, [p.id])).size) throw isEvidence([p], () => 'path.passageId');
  await db.transaction(async (tx) => {
    await tx.delete(campaignDocumentPassage).where(eq(campaignDocumentPassage.id, p.id));
    await recordAudit(tx, ctx, { action: 'campaign_passage.delete', entityType: 'campaign_passage', entityId: p.id, detail: { campaignId: c.id, documentId: d.id, quote: p.quote } });
  });
}

// ---------- uploaded files ----------

/** What a file is, from its first bytes (and, for zip containers and text, its name): the only kinds taken. */
export function sniffDocument(bytes: Uint8Array, fileName: string): { mediaType: string; ext: string } | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  const ext = (fileName.toLowerCase().match(/\.([a-z0-9]{1,8})$/)?.[1] ?? '') as string;
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return { mediaType: 'application/pdf', ext: 'pdf' }; // %PDF-
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { mediaType: 'image/png', ext: 'png' };
  if (starts(0xff, 0xd8, 0xff)) return { mediaType: 'image/jpeg', ext: 'jpg' };
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    // a zip container: an office document by its name (anything else zipped is not taken)
    const zipped: Record<string, string> = {
      docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      odt: 'application/vnd.oasis.opendocument.text',
      ods: 'application/vnd.oasis.opendocument.spreadsheet',
      odp: 'application/vnd.oasis.opendocument.presentation',
    };
    return zipped[ext] ? { mediaType: zipped[ext]!, ext } : null;
  }
  if (ext === 'txt' || ext === 'md') {
    // plain text: valid UTF-8 with no control characters but tab and line ends
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) return null;
      return { mediaType: 'text/plain; charset=utf-8', ext };
    } catch {
      return null;
    }
  }
  return null;
}

/** A file name that is safe to keep and to send back: no path, no control characters, at most 200 characters. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001F\u007F"]/g, '').trim().slice(0, 200);
  return cleaned || 'document';
}

/** Adds a reference document from an uploaded file. */
export async function uploadDocument(db: Db, ctx: RequestContext, id: string, input: { bytes: Uint8Array; fileName: string; title?: string }): Promise<CampaignDocument> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (input.bytes.byteLength === 0) throw new AppError('unprocessable', 'unsupported_document', 'The file is empty.', [{ field: 'body.file', detail: 'Empty' }]);
  if (input.bytes.byteLength > MAX_DOCUMENT_BYTES) {
    throw new AppError('unprocessable', 'document_too_large', `A document is at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB.`, [{ field: 'body.file', detail: 'Too large' }]);
  }
  const fileName = cleanFileName(input.fileName);
  const kind = sniffDocument(input.bytes, fileName);
  if (!kind) {
    throw new AppError('unprocessable', 'unsupported_document', 'The file is not one of the kinds taken: PDF, Word/Excel/PowerPoint (OOXML), OpenDocument, PNG, JPEG or plain text.', [
      { field: 'body.file', detail: 'Not a PDF, office document, PNG, JPEG or plain text' },
    ]);
  }
  const bytes = Buffer.from(input.bytes);
  const docId = await db.transaction(async (tx) => {
    const [d] = await tx
      .insert(campaignDocument)
      .values({ campaignId: c.id, title: input.title ?? fileName, kind: 'file', fileName, mediaType: kind.mediaType, createdBy: actor.id })
      .returning({ id: campaignDocument.id });
    await tx.insert(campaignDocumentFile).values({ documentId: d!.id, bytes, byteSize: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
    await recordAudit(tx, ctx, { action: 'campaign_document.create', entityType: 'campaign_document', entityId: d!.id, detail: { campaignId: c.id, file: true, mediaType: kind.mediaType, bytes: bytes.byteLength } });
    return d!.id;
  });
  return oneDocument(db, c.id, docId);
}

/** An uploaded document's bytes, for a reader who may see the campaign (else 404, as for one that does not exist). */
export async function documentFile(db: Db, ctx: RequestContext, id: string, documentId: string): Promise<{ bytes: Buffer; fileName: string; mediaType: string; sha256: string }> {
  const actor = campaignReader(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const d = await loadDocument(db, c.id, documentId);
  const [f] = await db.select().from(campaignDocumentFile).where(eq(campaignDocumentFile.documentId, d.id));
  if (!f || !d.mediaType) throw notFound('document');
  await auditRestrictedReads(db, ctx, c.restricted ? [{ entityType: 'campaign', entityId: c.id }, { entityType: 'campaign_document', entityId: d.id }] : []);
  return { bytes: f.bytes, fileName: d.fileName ?? 'document', mediaType: d.mediaType, sha256: f.sha256 };
}

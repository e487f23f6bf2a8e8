import type { ImportRunDto } from '../server/features/imports/imports.contract.ts';
import { ApiError, request } from './api.ts';

// Large imports (a Network CSV, a Pol.is export, a panel CSV) answer 202 with a run that a background job writes,
// a chunk at a time (docs/network.md, "Long imports"). These follow one until it ends.

export type ImportRun = ImportRunDto;

export function isImportRun(x: unknown): x is ImportRun {
  return !!x && typeof x === 'object' && 'state' in x && 'kind' in x && 'total' in x;
}

/** Polls the run every second until it is done (its result) or failed (an ApiError with its code and message). */
export async function followImportRun(run: ImportRun, onProgress?: (run: ImportRun) => void): Promise<Record<string, unknown>> {
  let current = run;
  for (;;) {
    onProgress?.(current);
    if (current.state === 'done') return current.result ?? {};
    if (current.state === 'failed') {
      const e = current.error ?? {};
      throw new ApiError(422, String(e.code ?? 'import_failed'), String(e.message ?? 'The import stopped.'));
    }
    await new Promise((r) => setTimeout(r, 1000));
    current = await request<ImportRun>('GET', `/imports/${encodeURIComponent(run.id)}`);
  }
}

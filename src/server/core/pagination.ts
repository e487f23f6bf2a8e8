// Keyset pagination for services: an opaque cursor (the sort key and id of the last item seen) and a page of
// limit + 1 rows. The query parameters' schemas are in http/pagination.ts.
import { AppError } from './errors.ts';
import { badText } from './text.ts';

/** Opaque keyset cursor: the sort key and id of the last item seen. */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** `valid` checks the parts' shapes, so that a forged cursor is a 400 and never reaches the database. */
export function decodeCursor(
  cursor: string | undefined,
  arity: number,
  valid: (parts: (string | number)[]) => boolean = () => true,
): (string | number)[] | undefined {
  if (!cursor) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // a forged cursor's text is checked like any other text: no NUL or lone surrogate reaches the database
    const ok = (p: unknown) => (typeof p === 'string' && !badText(p)) || (typeof p === 'number' && Number.isFinite(p));
    if (Array.isArray(parts) && parts.length === arity && parts.every(ok) && valid(parts)) return parts;
  } catch {
    /* fall through */
  }
  throw new AppError('invalid', 'invalid_cursor', 'The cursor is not one this server gave out.', [
    { field: 'query.cursor', detail: 'Invalid cursor' },
  ]);
}

/** Given limit+1 rows, returns the page and the cursor of its last row. */
export function paginate<T>(rows: T[], limit: number, key: (row: T) => (string | number)[]) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}

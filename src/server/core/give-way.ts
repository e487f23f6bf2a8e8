// One process answers every request on one event loop; on the embedded database it is also the database. A long
// stretch of synchronous work — parsing a 50,000-row CSV, planning its rows — keeps every other request (and its
// socket) waiting until it ends. Such work gives way: it yields a turn of the event loop every few milliseconds,
// so that a one-row read waits for a slice, not for the whole import (docs/network.md, "Long imports").

/** How long a slice of synchronous work may run before it yields. */
export const SLICE_MS = 8;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A checkpoint for a long loop: `await giveWay()` on every iteration yields a turn of the event loop once
 * `sliceMs` have passed since the last one, and costs a clock read otherwise.
 */
export function giveWayEvery(sliceMs = SLICE_MS): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    const now = performance.now();
    if (now - since < sliceMs) return undefined;
    return turn().then(() => {
      since = performance.now();
    });
  };
}

/** `items.map(fn)`, giving way as giveWayEvery does. */
export async function mapGivingWay<T, R>(items: readonly T[], fn: (item: T, index: number) => R, sliceMs = SLICE_MS): Promise<R[]> {
  const giveWay = giveWayEvery(sliceMs);
  const out = new Array<R>(items.length);
  for (let i = 0; i < items.length; i++) {
    out[i] = fn(items[i]!, i);
    const p = giveWay();
    if (p) await p;
  }
  return out;
}

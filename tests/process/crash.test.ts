import { describe, expect, it } from 'vitest';
import { createFirstAdmin, fetchAllPages, originOf, signIn, trackProcesses } from './process-helpers.ts';

const procs = trackProcesses();

const WRITERS = 8;
const WRITE_FOR_MS = 1_500;
// on a busy machine 1.5 s may not be enough for the test to mean anything: write on until this many are in
const ENOUGH = 80;
const WRITE_AT_MOST_MS = 20_000;

describe('a server killed while it acknowledges writes', () => {
  it('keeps every write it acknowledged, with its audit entry', { timeout: 180_000 }, async () => {
    const dataDir = procs.dataDir();
    const first = await procs.start({ dataDir });
    await createFirstAdmin(first);
    const cookie = await signIn(first);
    const origin = originOf(first);

    const acknowledged: string[] = [];
    let killed = false;
    let seq = 0;
    const writer = async (w: number) => {
      while (!killed) {
        const n = seq++;
        try {
          const res = await fetch(`${first.url}/api/invitations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin, cookie },
            body: JSON.stringify({ email: `crash-${w}-${n}@example.org`, name: `Crash ${n}`, role: 'staff' }),
          });
          if (res.status === 201) {
            // acknowledged only once the whole answer has arrived
            const body = (await res.json()) as { invitation: { id: string } };
            acknowledged.push(body.invitation.id);
          } else if (!killed) {
            throw new Error(`POST /api/invitations answered ${res.status}: ${await res.text()}`);
          }
        } catch (err) {
          if (killed) return; // the connection died with the server: not acknowledged
          throw err;
        }
      }
    };
    // a writer that fails before the kill hands its error back instead of rejecting unobserved
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w).then(() => null, (err: unknown) => err));
    const startedAt = Date.now();
    await new Promise((r) => setTimeout(r, WRITE_FOR_MS));
    while (acknowledged.length < ENOUGH && Date.now() - startedAt < WRITE_AT_MOST_MS) await new Promise((r) => setTimeout(r, 50));
    const inFlightAtKill = seq - acknowledged.length;
    killed = true;
    await first.kill('SIGKILL');
    expect(await Promise.all(writers)).toEqual(Array(WRITERS).fill(null));
    expect(first.proc.signalCode).toBe('SIGKILL');

    console.log(`crash test: ${acknowledged.length} invitations acknowledged before SIGKILL, ~${inFlightAtKill} requests in flight at the kill`);
    expect(acknowledged.length).toBeGreaterThan(50);
    expect(inFlightAtKill).toBeGreaterThan(0);

    // the same folder, its lock now stale
    const second = await procs.start({ dataDir });
    const cookie2 = await signIn(second);

    const invitations = await fetchAllPages<{ id: string }>(second, cookie2, '/api/invitations');
    const stored = new Set(invitations.map((i) => i.id));
    const lostInvitations = acknowledged.filter((id) => !stored.has(id));
    expect(lostInvitations).toEqual([]);

    const audit = await fetchAllPages<{ entityId: string | null }>(second, cookie2, '/api/audit?action=invitation.create');
    const audited = new Set(audit.map((a) => a.entityId));
    const lostAudit = acknowledged.filter((id) => !audited.has(id));
    expect(lostAudit).toEqual([]);
  });
});

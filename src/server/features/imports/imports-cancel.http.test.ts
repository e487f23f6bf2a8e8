import { count, eq, like } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { importRun } from './imports.schema.ts';
import { personContact } from '../network/network.schema.ts';
import { buildOrganisation } from '../../../../tests/setup/network-factories.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';

// An administrator cancels the queued job of a long import (the jobs page): the import ends there, says so, and
// its stored file (personal data) is deleted — nothing waits for a job that will not run. This app runs no job,
// so the run stays queued until cancelled.

const t = await createTestApp({ jobs: { work: false } });
const staff = await t.signedIn('staff');
const admin = await t.signedIn('admin');

it('ends the run, deletes its file and writes nothing', async () => {
  await buildOrganisation(t.db, { names: [{ name: 'Harbour Collective' }] });
  const lines = ['Name,Email,Organisation'];
  for (let i = 0; i < 150; i++) lines.push(`Cancelled Person ${i},cancelled-${i}@import.example,Harbour Collective`);
  const started = await staff.post('/api/imports/commit', { list: 'people', csv: lines.join('\n') });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };
  const [before] = await t.db.select({ input: importRun.input }).from(importRun).where(eq(importRun.id, id));
  expect(before!.input).not.toBeNull();

  // staff may not cancel jobs; an administrator may (the job's id is the run's)
  expect((await staff.delete(`/api/jobs/${id}`)).status).toBe(403);
  const cancelled = await admin.delete(`/api/jobs/${id}`);
  expect(cancelled.status).toBe(200);

  const run = (await (await staff.get(`/api/imports/${id}`)).json()) as { state: string; done: number; error: { code: string } | null };
  expect(run).toMatchObject({ state: 'failed', done: 0, error: { code: 'cancelled' } });
  const [after] = await t.db.select({ input: importRun.input, finishedAt: importRun.finishedAt }).from(importRun).where(eq(importRun.id, id));
  expect(after!.input).toBeNull();
  expect(after!.finishedAt).not.toBeNull();
  const [{ n }] = await t.db.select({ n: count() }).from(personContact).where(like(personContact.value, 'cancelled-%'));
  expect(n).toBe(0);

  // brought back on the jobs page, the job finds its run ended and writes nothing
  expect((await admin.post(`/api/jobs/${id}/retry`, {})).status).toBe(200);
  const again = (await (await staff.get(`/api/imports/${id}`)).json()) as { state: string };
  expect(again.state).toBe('failed');
});

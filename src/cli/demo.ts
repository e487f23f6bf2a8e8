// `npm run demo`: Convene on its own data folder (./data-demo) with fictional accounts and a fictional but
// realistic network (src/cli/demo/: ~170 members named in three scripts, foundations, G7 missions,
// the week of July 2024 recorded) and research (src/cli/demo-research.ts: a dialogue across three
// populations and a message test), then the server.
import path from 'node:path';
import { loadConfig } from '../server/config.ts';
import { openFromConfig } from '../server/db/client.ts';
import { acquireDataDirLock } from '../server/db/lock.ts';
import { countUsers, createUserWithPassword } from '../server/features/accounts/accounts.service.ts';
import { recordAudit } from '../server/features/audit/audit.service.ts';
import type { Role } from '../server/access/roles.ts';
import { seedDemoNetwork } from './demo/network.ts';
import { seedTimeIsNow } from './demo/time-is-now.ts';
import { seedDemoNews } from './demo/news-july.ts';
import { seedDemoResearch, seedDemoStudy } from './demo-research.ts';
import { seedDemoCampaign } from './demo/campaign-g7.ts';

export const DEMO_PASSWORD = 'convene-demo-password';

/** Fictional staff of the alliance, one or more per office, named in the scripts they use. */
export const demoStaff: { name: string; email: string; role: Role; locale: 'en' | 'he' | 'ar'; timeZone: string }[] = [
  { name: 'Dana Levi-Haddad', email: 'admin@demo.convene.example', role: 'admin', locale: 'en', timeZone: 'Asia/Jerusalem' },
  { name: 'Oliver Grant', email: 'oliver@demo.convene.example', role: 'staff', locale: 'en', timeZone: 'Europe/London' },
  { name: 'Lena Vogt', email: 'lena@demo.convene.example', role: 'staff', locale: 'en', timeZone: 'Europe/Berlin' },
  { name: 'Camille Roux', email: 'camille@demo.convene.example', role: 'staff', locale: 'en', timeZone: 'Europe/Paris' },
  { name: 'Maya Ortiz', email: 'maya@demo.convene.example', role: 'staff', locale: 'en', timeZone: 'America/Los_Angeles' },
  { name: 'James Whitfield', email: 'james@demo.convene.example', role: 'staff', locale: 'en', timeZone: 'America/New_York' },
  { name: 'נועה ברק', email: 'noa@demo.convene.example', role: 'staff', locale: 'he', timeZone: 'Asia/Jerusalem' },
  { name: 'رنا خوري', email: 'rana@demo.convene.example', role: 'staff', locale: 'ar', timeZone: 'Asia/Hebron' },
  { name: 'سامر عودة', email: 'samer@demo.convene.example', role: 'viewer', locale: 'ar', timeZone: 'Asia/Hebron' },
];

async function seed() {
  const config = loadConfig({ ...process.env, CONVENE_DATA_DIR: process.env.CONVENE_DATA_DIR ?? path.resolve('data-demo') });
  process.env.CONVENE_DATA_DIR = config.dataDir;
  const release = config.databaseUrl ? () => {} : acquireDataDirLock(config.dataDir);
  const database = await openFromConfig(config);
  try {
    await database.migrate();
    if ((await countUsers(database.db)) === 0) {
      await database.db.transaction(async (tx) => {
        const staffByEmail: Record<string, string> = {};
        for (const s of demoStaff) {
          const u = await createUserWithPassword(tx, { ...s, password: DEMO_PASSWORD });
          staffByEmail[s.email] = u.id;
          await recordAudit(tx, { actor: null, ip: 'demo', userAgent: 'npm run demo' }, { action: 'user.create_demo', entityType: 'user', entityId: u.id, detail: { email: s.email, role: s.role } });
        }
        await seedDemoNetwork(tx, { staffByEmail });
        const { dialogueId } = await seedDemoResearch(tx, { createdBy: staffByEmail['rana@demo.convene.example']! });
        await seedDemoStudy(tx, { createdBy: staffByEmail['rana@demo.convene.example']!, dialogueId });
        await seedDemoCampaign(tx, { staffByEmail });
        await seedTimeIsNow(tx, { createdBy: staffByEmail['noa@demo.convene.example'] ?? null });
        await seedDemoNews(tx, { author: staffByEmail['oliver@demo.convene.example']!, hebrew: staffByEmail['noa@demo.convene.example']!, arabic: staffByEmail['rana@demo.convene.example']!, publisher: staffByEmail['admin@demo.convene.example']! });
      });
      console.log(`Demo accounts and network created in ${config.dataDir}.`);
    }
  } finally {
    await database.close();
    release();
  }
  console.log('');
  console.log('Demo sign-in (fictional people; this server binds 127.0.0.1 unless HOST says otherwise):');
  console.log(`  administrator: admin@demo.convene.example   password: ${DEMO_PASSWORD}`);
  console.log(`  staff (he):    noa@demo.convene.example     staff (ar): rana@demo.convene.example`);
  console.log('');
}

// no top-level await: the build runs this file as a CommonJS script (scripts/code-cache.mjs)
seed().then(
  // CONVENE_DEMO_SEED_ONLY=1: the demo's data only, for tests that start the server themselves
  () => (process.env.CONVENE_DEMO_SEED_ONLY !== '1' ? import('../server/main.ts') : undefined),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);

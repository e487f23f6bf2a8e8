// Message tests through the database, as the app runs them: a panel vendor's CSV of 350,000 responses (two
// populations, control + 4 messages, household clusters, one outcome and one covariate) imported through the
// import service (parse, validate, store in one transaction: target <= 10 s), then the analysis endpoint's
// service on those rows (read back in one query, CR2, Lin's adjustment: target <= 2 s). On the embedded PGlite,
// and on PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set. `npx tsx bench/study-import.ts` runs it alone.
import { createUserWithPassword } from '../src/server/features/accounts/accounts.service.ts';
import type { RequestContext } from '../src/server/http/context.ts';
import { getStudyAnalysis } from '../src/server/features/studies/analysis.service.ts';
import { commitImport, previewImport } from '../src/server/features/studies/imports.service.ts';
import { seededRandom } from '../src/server/features/studies/stats/random.ts';
import { createStudy } from '../src/server/features/studies/studies.service.ts';
import { openBenchDatabase } from './generate-network.ts';
import { type Figure, freshPostgresDatabase, isMain, median, ms, postgresUrl, printFigures, removeDir, tempDir } from './lib.ts';

const RESPONSES = 350_000;
const ARMS = ['control', 'message-1', 'message-2', 'message-3', 'message-4'];
const IMPORT_TARGET_MS = 10_000;
const ANALYSIS_TARGET_MS = 2_000;
const RUNS = 3;

const ctx: RequestContext = {
  actor: { id: 'bench', email: 'bench@example.org', name: 'Bench', role: 'admin', locale: 'en', timeZone: 'UTC', twoFactorEnabled: true, sessionId: 'bench', createdAt: new Date().toISOString() },
  ip: '127.0.0.1',
  userAgent: 'bench',
};

/** The vendor's file: semicolon-free, unquoted, as panel exports usually are; ~1% of outcomes "NA". */
export function vendorCsv(): { csv: string; households: number } {
  const random = seededRandom(2026);
  const effects: Record<string, [number, number]> = { control: [0, 0], 'message-1': [0.3, 0.3], 'message-2': [0.3, 0], 'message-3': [-0.2, 0], 'message-4': [0, 0] };
  const parts: string[] = ['respondent,country,household,condition,support,age\n'];
  let households = 0;
  let n = 0;
  while (n < RESPONSES) {
    const p = households % 2;
    const country = p === 0 ? 'IL' : 'PS';
    const size = 1 + random.int(4);
    const household = 0.7 * random.normal();
    for (let i = 0; i < size && n < RESPONSES; i++, n++) {
      const condition = ARMS[random.int(ARMS.length)];
      const age = 18 + random.int(62);
      const latent = 4 + effects[condition][p] + household + 0.02 * (age - 45) + 1.2 * random.normal();
      const support = n % 97 === 0 ? 'NA' : String(Math.min(7, Math.max(1, Math.round(latent))));
      parts.push(`${n + 1},${country},h${households},${condition},${support},${age}\n`);
    }
    households++;
  }
  return { csv: parts.join(''), households };
}

async function measure(label: string, target: { dataDir: string } | { url: string }, csv: string): Promise<Figure[]> {
  const bench = `study import + analysis (${label})`;
  const database = await openBenchDatabase(target);
  try {
    const db = database.db;
    const user = await createUserWithPassword(db, { name: 'Bench', email: 'bench@example.org', password: 'correct horse battery staple', role: 'admin', locale: 'en', timeZone: 'UTC' });
    ctx.actor!.id = user.id;
    const text = (en: string) => ({ en });
    const study = await createStudy(
      db,
      ctx,
      {
        title: 'Bench message test',
        languages: ['en'],
        randomization: 'block',
        populations: [
          { key: 'israelis', name: text('Israelis'), languages: ['en'] },
          { key: 'palestinians', name: text('Palestinians'), languages: ['en'] },
        ],
        arms: ARMS.map((key, i) => ({ key, control: i === 0, text: i === 0 ? {} : text(`Message ${i}`) })),
        questions: [
          { key: 'age', role: 'covariate', kind: 'scale', scaleMin: 0, scaleMax: 10, prompt: text('Age') },
          { key: 'support', role: 'outcome', kind: 'scale', scaleMin: 1, scaleMax: 7, prompt: text('Support') },
        ],
      },
      'http://localhost',
    );
    const input = {
      csv,
      mapping: { population: 'country', treatment: 'condition', cluster: 'household', outcomes: { support: 'support' }, covariates: { age: 'age' }, populationValues: { IL: 'israelis', PS: 'palestinians' } },
    };
    let t0 = performance.now();
    const preview = await previewImport(db, ctx, study.id, input);
    const previewMs = performance.now() - t0;
    t0 = performance.now();
    const { imported } = await commitImport(db, ctx, study.id, input, null);
    const importMs = performance.now() - t0;
    console.log(`  ${label}: preview ${ms(previewMs)} (${preview.accepted.toLocaleString('en')} rows, ${preview.missing.support} missing); import ${ms(importMs)} (${imported.toLocaleString('en')} responses)`);

    const runs: number[] = [];
    let summary = '';
    for (let i = 0; i < RUNS; i++) {
      t0 = performance.now();
      const a = await getStudyAnalysis(db, ctx, study.id, {});
      runs.push(performance.now() - t0);
      if (i === 0)
        summary = a.populations
          .map((p) => `${p.key} (${p.clusters} clusters): ${p.arms.map((e) => `${e.key} ${e.estimate?.toFixed(3)} (${e.se?.toFixed(3)})`).join(', ')}`)
          .join('; ');
    }
    console.log(`    analysis (${RUNS} runs, CR2 + Lin): ${runs.map((x) => ms(x)).join(', ')}`);
    console.log(`    ${summary}`);
    const analysisMs = median(runs);
    return [
      { bench, metric: `import a ${RESPONSES.toLocaleString('en')}-row CSV (parse, check, store)`, value: ms(importMs), target: `<= ${ms(IMPORT_TARGET_MS)}`, met: importMs <= IMPORT_TARGET_MS },
      { bench, metric: 'preview of the same import', value: ms(previewMs) },
      { bench, metric: `analysis of ${RESPONSES.toLocaleString('en')} stored responses (median of ${RUNS})`, value: ms(analysisMs), target: `<= ${ms(ANALYSIS_TARGET_MS)}`, met: analysisMs <= ANALYSIS_TARGET_MS },
    ];
  } finally {
    await database.close();
  }
}

export async function benchStudyImport(): Promise<Figure[]> {
  console.log(`\n## study import and analysis through the database: ${RESPONSES.toLocaleString('en')} responses, 2 populations, control + 4 messages, household clusters`);
  const { csv, households } = vendorCsv();
  console.log(`  the CSV: ${(csv.length / 1e6).toFixed(1)} MB, ${households.toLocaleString('en')} households`);
  const figures: Figure[] = [];
  const dir = tempDir();
  try {
    figures.push(...(await measure('PGlite', { dataDir: dir }, csv)));
  } finally {
    removeDir(dir);
  }
  const url = postgresUrl();
  if (url) {
    const fresh = await freshPostgresDatabase(url);
    try {
      figures.push(...(await measure('PostgreSQL', { url: fresh.url }, csv)));
    } finally {
      await fresh.drop();
    }
  } else console.log('  (no BENCH_DATABASE_URL / TEST_DATABASE_URL: PostgreSQL not measured)');
  return figures;
}

if (isMain(import.meta.url)) printFigures(await benchStudyImport());

// Message-test analysis at scale: 350,000 responses in two populations, control + 4 messages, household
// clusters of ~2.5 people, one covariate. Reading the CSV (written to a temp file first) target <= 10 s; the full
// analysis (both populations, every message, CR2) target <= 2 s. Also Lin's adjustment with the covariate.
import fs from 'node:fs';
import path from 'node:path';
import { readResponsesCsv } from '../src/server/features/studies/responses-csv.ts';
import { analyzeStudy } from '../src/server/features/studies/stats/analysis.ts';
import { seededRandom } from '../src/server/features/studies/stats/random.ts';
import { type Figure, isMain, median, ms, printFigures, removeDir, tempDir } from './lib.ts';

const RESPONSES = 350_000;
const ARMS = ['control', 'message 1', 'message 2', 'message 3', 'message 4'];
const READ_TARGET_MS = 10_000;
const ANALYSIS_TARGET_MS = 2_000;
const RUNS = 3;

export function writeResponses(file: string, responses = RESPONSES): { households: number } {
  const random = seededRandom(2026);
  const effects: Record<string, [number, number]> = { control: [0, 0], 'message 1': [0.3, 0.3], 'message 2': [0.3, 0], 'message 3': [-0.2, 0], 'message 4': [0, 0] };
  const fd = fs.openSync(file, 'w');
  let chunk = 'respondent,population,household,condition,support,age\n';
  let households = 0;
  let n = 0;
  while (n < responses) {
    const population = households % 2 === 0 ? 'Israel' : 'Palestine';
    const p = households % 2;
    const size = 1 + random.int(4); // 1–4 people, 2.5 on average
    const household = 0.7 * random.normal();
    for (let i = 0; i < size && n < responses; i++, n++) {
      const condition = ARMS[random.int(ARMS.length)];
      const age = 18 + random.int(62);
      const latent = 4 + effects[condition][p] + household + 0.02 * (age - 45) + 1.2 * random.normal();
      const support = n % 97 === 0 ? 'NA' : String(Math.min(7, Math.max(1, Math.round(latent))));
      chunk += `${n + 1},${population},h${households},${condition},${support},${age}\n`;
    }
    households++;
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return { households };
}

export async function benchStudyAnalysis(): Promise<Figure[]> {
  console.log(`\n## Study analysis: ${RESPONSES.toLocaleString('en')} responses, 2 populations, control + 4 messages, household clusters`);
  const dir = tempDir('convene-bench-study-');
  try {
    const file = path.join(dir, 'responses.csv');
    const { households } = writeResponses(file);
    console.log(`  wrote ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, ${households.toLocaleString('en')} households`);

    const columns = { outcome: 'support', treatment: 'condition', population: 'population', cluster: 'household' };
    let t = performance.now();
    const data = await readResponsesCsv(file, columns);
    const readMs = performance.now() - t;
    const missing = data.missing.flat().reduce((s, m) => s + m, 0);
    console.log(`  read the CSV in ${ms(readMs)}: ${data.n.toLocaleString('en')} rows kept, ${missing} missing outcomes, ${data.clusterCount.toLocaleString('en')} clusters`);
    t = performance.now();
    const withAge = await readResponsesCsv(file, { ...columns, covariates: ['age'] });
    const readCovariateMs = performance.now() - t;

    const time = (run: () => unknown) =>
      Array.from({ length: RUNS }, () => {
        const s = performance.now();
        run();
        return performance.now() - s;
      });
    let result = analyzeStudy(data, { control: 'control' });
    const plain = time(() => (result = analyzeStudy(data, { control: 'control' })));
    const lin = time(() => analyzeStudy(withAge, { control: 'control' }));
    console.log(`  CR2 analysis (${RUNS} runs): ${plain.map((x) => ms(x)).join(', ')}; with Lin's adjustment for age: ${lin.map((x) => ms(x)).join(', ')}`);
    for (const p of result.populations)
      console.log(`    ${p.name}: ${p.arms.map((a) => `${a.arm} ${a.estimate.toFixed(3)} (se ${a.se.toFixed(3)}, df ${a.df.toFixed(0)}, ${a.clusters} clusters)`).join('; ')}`);
    console.log(`    verdicts: ${result.messages.map((m) => `${m.arm} ${m.verdict}`).join('; ')}`);

    return [
      { bench: 'study-analysis', metric: `read ${RESPONSES.toLocaleString('en')}-row responses CSV`, value: ms(readMs), target: `<= ${ms(READ_TARGET_MS)}`, met: readMs <= READ_TARGET_MS },
      { bench: 'study-analysis', metric: 'read it with one covariate column', value: ms(readCovariateMs), target: `<= ${ms(READ_TARGET_MS)}`, met: readCovariateMs <= READ_TARGET_MS },
      { bench: 'study-analysis', metric: 'analysis, 2 populations x 4 messages, CR2 (median)', value: ms(median(plain)), target: `<= ${ms(ANALYSIS_TARGET_MS)}`, met: median(plain) <= ANALYSIS_TARGET_MS },
      { bench: 'study-analysis', metric: "same with Lin's adjustment (median)", value: ms(median(lin)), target: `<= ${ms(ANALYSIS_TARGET_MS)}`, met: median(lin) <= ANALYSIS_TARGET_MS },
    ];
  } finally {
    removeDir(dir);
  }
}

if (isMain(import.meta.url)) printFigures(await benchStudyAnalysis());

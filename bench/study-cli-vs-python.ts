// `convene study analyze` as a whole process against the same estimate in Python (pandas + statsmodels OLS with
// cluster-robust errors), both timed as whole processes on one 344,000-row responses CSV with household clusters, in
// the same run (issue 17): Convene's CPU time (user + system, of the process and its children) <= Python's.
// CPU time and peak memory come from getrusage(RUSAGE_CHILDREN) around each run, read by a small Python wrapper
// (python3 is on every Debian machine; statsmodels and pandas come from apt-get install python3-statsmodels).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Figure, isMain, median, printFigures, removeDir, root, tempDir } from './lib.ts';
import { writeResponses } from './study-analysis.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Debian's python3 (where apt-get puts statsmodels), not one a version manager put first on the PATH */
const PYTHON3 = process.env.BENCH_PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const MEASURE = `
import resource, subprocess, sys, time
t = time.time()
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.time() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(r.stderr.decode()[-2000:])
print(r.returncode, u.ru_utime + u.ru_stime, wall, u.ru_maxrss)
`;

const PYTHON = `
import sys
import pandas as pd
import statsmodels.formula.api as smf
d = pd.read_csv(sys.argv[1], na_values=["NA"])
d = d.dropna(subset=["support"])
for name, p in d.groupby("population"):
    m = smf.ols("support ~ C(condition, Treatment('control'))", data=p).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(p["household"])[0]})
    print(name, " ".join(f"{k.split('T.')[-1].rstrip(']')}={v:.4f}" for k, v in m.params.items() if "T." in k))
`;

type Run = { cpu: number; wall: number; maxRssMb: number };

function measure(cmd: string[]): Run {
  const r = spawnSync(PYTHON3, ['-c', MEASURE, ...cmd], { encoding: 'utf8', cwd: root });
  const [code, cpu, wall, rss] = r.stdout.trim().split(/\s+/).map(Number);
  if (r.status !== 0 || code !== 0) throw new Error(`${cmd.join(' ')} failed (${code}):\n${r.stderr}`);
  return { cpu: cpu!, wall: wall!, maxRssMb: rss! / 1024 };
}

export async function run(): Promise<Figure[]> {
  const hasStatsmodels = spawnSync(PYTHON3, ['-c', 'import statsmodels, pandas'], { encoding: 'utf8' }).status === 0;
  const dir = tempDir('convene-bench-study-cli-');
  try {
    const file = path.join(dir, 'responses.csv');
    const { households } = writeResponses(file, 344_000);
    console.log(`\n## study analyze as a process: ${(fs.statSync(file).size / 1e6).toFixed(1)} MB CSV, ${households.toLocaleString('en')} households, ${RUNS} runs each`);
    const convene = [process.execPath, path.join(root, 'bin/convene.mjs'), 'study', 'analyze', '--csv', file, '--outcome', 'support', '--treatment', 'condition', '--control', 'control', '--population', 'population', '--cluster', 'household'];
    measure(convene); // a first run builds what is missing and warms the file cache
    const ours = Array.from({ length: RUNS }, () => measure(convene));
    const cpu = median(ours.map((r) => r.cpu));
    console.log(`  convene: CPU ${ours.map((r) => `${r.cpu.toFixed(2)} s`).join(', ')}; wall ${ours.map((r) => `${r.wall.toFixed(2)} s`).join(', ')}; peak ${Math.max(...ours.map((r) => r.maxRssMb)).toFixed(0)} MB`);
    const figures: Figure[] = [{ bench: 'study analyze (process)', metric: 'convene CPU time, median', value: `${cpu.toFixed(2)} s` }];
    if (!hasStatsmodels) {
      console.log('  Python: skipped (apt-get install python3-statsmodels)');
      return figures;
    }
    const python = [PYTHON3, '-c', PYTHON, file];
    measure(python);
    const theirs = Array.from({ length: RUNS }, () => measure(python));
    const pcpu = median(theirs.map((r) => r.cpu));
    console.log(`  python (pandas + statsmodels, cluster-robust OLS): CPU ${theirs.map((r) => `${r.cpu.toFixed(2)} s`).join(', ')}; wall ${theirs.map((r) => `${r.wall.toFixed(2)} s`).join(', ')}; peak ${Math.max(...theirs.map((r) => r.maxRssMb)).toFixed(0)} MB`);
    figures.push({ bench: 'study analyze (process)', metric: 'Python CPU time, median', value: `${pcpu.toFixed(2)} s` });
    figures.push({ bench: 'study analyze (process)', metric: 'convene / Python CPU', value: `${(cpu / pcpu).toFixed(2)}×`, target: '<= 1×', met: cpu <= pcpu });
    return figures;
  } finally {
    removeDir(dir);
  }
}

if (isMain(import.meta.url)) {
  printFigures(await run());
  process.exit(0);
}

// `convene trip solve-optw FILE`: the trip planner's core on the classic Orienteering Problem with Time Windows, so
// that it can be compared with published optima (docs/trips.md "The solver"). No configuration, no database.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { OptwFormatError, parseOptw } from '../server/features/trips/solver/optw-format.ts';
import { solveOptw } from '../server/features/trips/solver/optw.ts';
import { CliError } from './cli-error.ts';

export const TRIP_HELP = `Usage: convene trip solve-optw FILE [--paths N] [--time-limit S] [--seed N] [--decimals 1|2] [--json]

Solves an Orienteering Problem with Time Windows read from FILE in the TOPTW text format of the literature
(Vansteenwegen et al. 2009; Solomon's and Cordeau's instances): line 1 "k v N t", line 2 "D Q", then one line per
vertex from 0 (the depot) "i x y d S f a list... O C". Routes leave the depot at 0 and are back by the depot's
closing time; travel is the Euclidean distance rounded down. Uses the trip planner's iterated local search.

Options:
  --paths N        the number of routes (default 1)
  --time-limit S   seconds to search (default 1)
  --seed N         the random seed (default 1): the same seed and limit give the same answer on the same machine
  --decimals 1|2   travel rounded down to 1 decimal (Solomon, the default) or 2 (Cordeau)
  --json           print {"score": number, "routes": [[vertex numbers in visit order, depot excluded]], "seconds": number}`;

function fail(message: string): never {
  throw new CliError(`convene trip solve-optw: ${message}`, 2);
}

function positiveNumber(value: string | undefined, name: string, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) fail(`${name} must be a positive ${integer ? 'whole ' : ''}number, found "${value}"`);
  return v;
}

export async function trip(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(TRIP_HELP);
    return;
  }
  if (sub !== 'solve-optw') throw new CliError(`Unknown trip command "${sub}".\n\n${TRIP_HELP}`, 2);
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: {
        paths: { type: 'string' },
        'time-limit': { type: 'string' },
        seed: { type: 'string' },
        decimals: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    throw new CliError(`convene trip solve-optw: ${(err as Error).message}\n\n${TRIP_HELP}`, 2);
  }
  if (values.help) {
    console.log(TRIP_HELP);
    return;
  }
  if (positionals.length !== 1) fail(`expected one FILE, found ${positionals.length}\n\n${TRIP_HELP}`);
  const file = positionals[0]!;
  const paths = positiveNumber(values.paths as string | undefined, '--paths', 1, true);
  if (paths > 1000) fail('--paths must be at most 1000');
  const seconds = positiveNumber(values['time-limit'] as string | undefined, '--time-limit', 1, false);
  if (seconds > 3600) fail('--time-limit must be at most 3600 seconds');
  const seed = positiveNumber(values.seed as string | undefined, '--seed', 1, true);
  const decimals = values.decimals === undefined ? 1 : values.decimals === '1' ? 1 : values.decimals === '2' ? 2 : fail(`--decimals must be 1 or 2, found "${values.decimals}"`);

  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`convene trip solve-optw: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 1);
  }
  let instance;
  try {
    instance = parseOptw(text, { decimals });
  } catch (err) {
    if (err instanceof OptwFormatError) throw new CliError(`convene trip solve-optw: ${file} is not a TOPTW instance: ${err.message}`, 1);
    throw err;
  }
  const t0 = performance.now();
  const solution = solveOptw(instance, { paths, timeLimitMs: seconds * 1000, seed });
  const elapsed = Math.round(performance.now() - t0) / 1000;
  if (values.json) {
    console.log(JSON.stringify({ score: solution.score, routes: solution.routes, seconds: elapsed }));
    return;
  }
  console.log(`score ${solution.score} in ${elapsed} s`);
  solution.routes.forEach((r, i) => console.log(`route ${i + 1}: ${r.length ? `0 ${r.join(' ')} 0` : '(empty)'}`));
}

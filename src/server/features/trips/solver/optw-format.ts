// The TOPTW text format of the literature (Vansteenwegen et al. 2009, on Solomon's and Cordeau's instances):
//   line 1: k v N t   (only N, the number of vertices after the depot, matters)
//   line 2: D Q       (not used)
//   then one line per vertex from 0 (the depot): i x y d S f a list(a entries) O C
// Times are kept as integers in hundredths, so that travel (the Euclidean distance rounded DOWN to one decimal for
// Solomon's instances, two for Cordeau's) is exact: no floating-point drift decides feasibility.

export class OptwFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface OptwInstance {
  /** Vertices 0..n; 0 is the depot. */
  n: number;
  /** Integer hundredths of the coordinates. */
  x: Int32Array;
  y: Int32Array;
  /** In hundredths of a time unit. */
  service: Int32Array;
  profit: Float64Array;
  open: Int32Array;
  close: Int32Array;
  /** The route's time budget: the depot's closing time, in hundredths. */
  tmax: number;
  /** travel[i * (n + 1) + j], in hundredths. */
  travel: Int32Array;
}

/** Hundredths of a decimal number, or undefined when it is not one. */
function hundredths(token: string): number | undefined {
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(token)) return undefined;
  const v = Number(token);
  if (!Number.isFinite(v)) return undefined;
  return Math.round(v * 100);
}

function isqrt(v: number): number {
  let r = Math.floor(Math.sqrt(v));
  while (r * r > v) r--;
  while ((r + 1) * (r + 1) <= v) r++;
  return r;
}

/** Travel in hundredths: the distance rounded down to `decimals` (1: Solomon, 2: Cordeau). */
export function travelHundredths(dx: number, dy: number, decimals: 1 | 2): number {
  const d = isqrt(dx * dx + dy * dy); // hundredths, rounded down
  return decimals === 1 ? Math.floor(d / 10) * 10 : d;
}

export function parseOptw(text: string, options: { decimals?: 1 | 2 } = {}): OptwInstance {
  const decimals = options.decimals ?? 1;
  const lines = text.split(/\r?\n/);
  const rows: Array<{ line: number; tokens: string[] }> = [];
  lines.forEach((l, i) => {
    const t = l.trim();
    if (t) rows.push({ line: i + 1, tokens: t.split(/\s+/) });
  });
  if (rows.length === 0) throw new OptwFormatError(1, 'the file is empty; expected "k v N t" on the first line');
  const head = rows[0]!;
  if (head.tokens.length < 3) throw new OptwFormatError(head.line, `expected "k v N t" (at least 3 numbers), found ${JSON.stringify(lines[head.line - 1]!.trim())}`);
  const n = Number(head.tokens[2]);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new OptwFormatError(head.line, `N (the third number, the number of vertices) must be a positive integer, found "${head.tokens[2]}"`);
  if (rows.length < 2) throw new OptwFormatError(head.line + 1, 'expected "D Q" on the second line');
  if (rows.length < n + 3) throw new OptwFormatError(lines.length, `expected ${n + 1} vertex lines (0 to ${n}) after the first two lines, found ${rows.length - 2}`);
  const x = new Int32Array(n + 1);
  const y = new Int32Array(n + 1);
  const service = new Int32Array(n + 1);
  const profit = new Float64Array(n + 1);
  const open = new Int32Array(n + 1);
  const close = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const { line, tokens } = rows[i + 2]!;
    const num = (k: number, what: string) => {
      const tok = tokens[k];
      const v = tok === undefined ? undefined : hundredths(tok);
      if (v === undefined) throw new OptwFormatError(line, `${what} (field ${k + 1}) must be a number, found ${tok === undefined ? 'nothing' : `"${tok}"`}`);
      return v;
    };
    if (tokens.length < 9) throw new OptwFormatError(line, `expected "i x y d S f a list... O C" (at least 9 fields), found ${tokens.length}`);
    const id = Number(tokens[0]);
    if (id !== i) throw new OptwFormatError(line, `expected vertex ${i}, found "${tokens[0]}"`);
    x[i] = num(1, 'x');
    y[i] = num(2, 'y');
    service[i] = num(3, 'the service duration d');
    if (service[i]! < 0) throw new OptwFormatError(line, 'the service duration d must not be negative');
    profit[i] = num(4, 'the profit S') / 100;
    const a = Number(tokens[6]);
    if (!Number.isInteger(a) || a < 0) throw new OptwFormatError(line, `a (field 7, the length of the list) must be a whole number, found "${tokens[6]}"`);
    if (tokens.length !== 9 + a) throw new OptwFormatError(line, `expected ${9 + a} fields (a = ${a}), found ${tokens.length}`);
    open[i] = num(7 + a, 'the opening time O');
    close[i] = num(8 + a, 'the closing time C');
    if (close[i]! < open[i]!) throw new OptwFormatError(line, `the time window closes (${tokens[8 + a]}) before it opens (${tokens[7 + a]})`);
  }
  if (rows.length > n + 3) throw new OptwFormatError(rows[n + 3]!.line, `unexpected line after vertex ${n}`);
  const tmax = close[0]!;
  const travel = new Int32Array((n + 1) * (n + 1));
  for (let i = 0; i <= n; i++) for (let j = 0; j <= n; j++) travel[i * (n + 1) + j] = travelHundredths(x[i]! - x[j]!, y[i]! - y[j]!, decimals);
  return { n, x, y, service, profit, open, close, tmax, travel };
}

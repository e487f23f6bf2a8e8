// The header row of a CSV, read in the browser to offer its columns in the mapping dropdowns (the server reads
// the whole file). Comma or semicolon separated, as the server detects; quoted names may hold either.

/** The first record of a CSV text: column names, trimmed, with the byte-order mark removed. */
export function csvHeader(text: string): string[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const line = firstRecord(s);
  const delimiter = count(line, ';') > count(line, ',') ? ';' : ',';
  const out: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
      continue;
    }
    if (ch === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (ch === delimiter) {
      out.push(field.trim());
      field = '';
      fieldStart = true;
    } else {
      field += ch;
      if (ch !== ' ') fieldStart = false;
    }
  }
  out.push(field.trim());
  return out.length === 1 && out[0] === '' ? [] : out;
}

/** Up to the first line break outside quotes. */
function firstRecord(s: string): string {
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') i++;
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"' && fieldStart) quoted = true;
    else if (ch === '\n' || ch === '\r') return s.slice(0, i);
    fieldStart = ch === ',' || ch === ';';
  }
  return s;
}

/** Occurrences outside quotes. */
function count(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (!quoted && line[i] === ch) n++;
  }
  return n;
}

/** The column a mapping most likely means: the question's key itself, or a common name for it. */
export function guessColumn(columns: readonly string[], ...candidates: (string | RegExp)[]): string | undefined {
  for (const c of candidates) {
    const hit = columns.find((col) => (typeof c === 'string' ? col.toLowerCase() === c.toLowerCase() : c.test(col)));
    if (hit) return hit;
  }
  return undefined;
}

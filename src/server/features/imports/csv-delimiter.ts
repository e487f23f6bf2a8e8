// Which separator a CSV uses, from its header line. Its own module, without dependencies, so that readers that
// need only this (the study command's responses reader) do not load the web server's modules through csv.ts.

/** Comma or semicolon: whichever appears more often outside quotes in the header line. */
export function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') i++;
      else if (ch === '"') quoted = false;
      continue;
    }
    // a quote opens a quoted field only at its start (דוא"ל is a plain header)
    if (ch === '"' && fieldStart) quoted = true;
    else if (ch === '\n' || ch === '\r') break;
    else if (ch === ',') commas++;
    else if (ch === ';') semis++;
    fieldStart = ch === ',' || ch === ';';
  }
  return semis > commas ? ';' : ',';
}

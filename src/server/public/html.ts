// A tiny HTML template helper for the public pages: everything interpolated is escaped unless it is
// already Html (made by this helper). No inline script or event handler is ever produced.

export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

type Part = Html | string | number | null | undefined | false | Part[];

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESC[ch]!);
}

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (p instanceof Html) return p.value;
  if (Array.isArray(p)) return p.map(render).join('');
  return escapeHtml(String(p));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Optional attribute: name="value" when value is a non-empty string, nothing otherwise. */
export function attr(name: string, value: string | null | undefined | false): Html {
  return new Html(value ? ` ${name}="${escapeHtml(value)}"` : '');
}

/** Text people typed, split into paragraphs on blank lines, with line breaks kept. */
export function paragraphs(text: string): Html {
  return new Html(
    text
      .split(/\n\s*\n/)
      .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`)
      .join(''),
  );
}

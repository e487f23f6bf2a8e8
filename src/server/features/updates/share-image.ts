import { escapeHtml } from '../../public/html.ts';
import { loadSharp } from './sharp.ts';

// The 1200×630 share image of a post (Open Graph, Twitter card): the site's name and the post's title drawn from
// an SVG by sharp (librsvg with Pango, so Hebrew and Arabic are shaped and laid out right to left), in DejaVu Sans,
// which Debian's fonts-dejavu-core installs and which covers Latin, Hebrew and Arabic. Titles are wrapped by
// words at a width measured in characters (an estimate: no font metrics here), at most four lines.

export const SHARE_WIDTH = 1200;
export const SHARE_HEIGHT = 630;

function wrap(text: string, perLine: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && (line + ' ' + w).length > perLine) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]!.replace(/\s*\S*$/, '')}…`;
    return kept;
  }
  return lines;
}

export async function shareImage(o: { title: string; site: string; date: string; rtl: boolean }): Promise<Buffer> {
  const size = o.title.length > 90 ? 52 : o.title.length > 50 ? 60 : 68;
  const lines = wrap(o.title, Math.floor(1040 / (size * 0.56)), 4);
  const x = o.rtl ? SHARE_WIDTH - 80 : 80;
  // with direction="rtl", librsvg anchors "start" at the right end of the text
  const anchor = 'start';
  const direction = o.rtl ? 'rtl' : 'ltr';
  const lineHeight = Math.round(size * 1.25);
  const top = 300 - ((lines.length - 1) * lineHeight) / 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}" viewBox="0 0 ${SHARE_WIDTH} ${SHARE_HEIGHT}">
<rect width="100%" height="100%" fill="#f6f7f9"/>
<rect x="0" y="0" width="${SHARE_WIDTH}" height="16" fill="#1a5fb4"/>
<text x="${x}" y="110" font-family="DejaVu Sans" font-size="34" font-weight="bold" fill="#1a5fb4" text-anchor="${anchor}" direction="${direction}">${escapeHtml(o.site)}</text>
${lines.map((l, i) => `<text x="${x}" y="${Math.round(top + i * lineHeight)}" font-family="DejaVu Sans" font-size="${size}" font-weight="bold" fill="#1b1f24" text-anchor="${anchor}" direction="${direction}">${escapeHtml(l)}</text>`).join('\n')}
<text x="${x}" y="560" font-family="DejaVu Sans" font-size="30" fill="#4a535e" text-anchor="${anchor}" direction="${direction}">${escapeHtml(o.date)}</text>
</svg>`;
  const sharp = await loadSharp();
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9, palette: true }).toBuffer();
}

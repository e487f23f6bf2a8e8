import { Anchor, List, Text } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';

// A deliberately small markdown renderer for meeting notes: paragraphs, bullet and numbered lists, **bold**,
// *italics* and [links](https://…). It builds React elements, never HTML strings, so nothing typed in a note
// can inject markup or script; links are limited to http(s) and mailto.

const SAFE_URL = /^(https?:\/\/|mailto:)[^\s]+$/i;

/** Inline markup of one line or paragraph. */
export function renderInline(text: string, keyPrefix = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  // links first, then bold (** or __), then italics (* or _)
  const re = /\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*([^*\n]+)\*\*|__([^_\n]+)__|\*([^*\n]+)\*|(?<![\p{L}\p{N}])_([^_\n]+)_(?![\p{L}\p{N}])/gu;
  let last = 0;
  let n = 0;
  for (const m of text.matchAll(re)) {
    if (m.index! > last) out.push(text.slice(last, m.index));
    const key = `${keyPrefix}-${n++}`;
    if (m[1] !== undefined) {
      const href = m[2]!;
      out.push(
        SAFE_URL.test(href) ? (
          <Anchor key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
            {m[1]}
          </Anchor>
        ) : (
          <Fragment key={key}>{m[0]}</Fragment>
        ),
      );
    } else if (m[3] !== undefined || m[4] !== undefined) out.push(<strong key={key}>{renderInline(m[3] ?? m[4]!, key)}</strong>);
    else out.push(<em key={key}>{m[5] ?? m[6]}</em>);
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

type Block = { type: 'p'; lines: string[] } | { type: 'ul' | 'ol'; items: string[] };

export function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const prev = blocks[blocks.length - 1];
    if (!line.trim()) {
      blocks.push({ type: 'p', lines: [] });
    } else if (bullet || numbered) {
      const type = bullet ? 'ul' : 'ol';
      const text = (bullet ?? numbered)![1]!;
      if (prev && prev.type === type) prev.items.push(text);
      else blocks.push({ type, items: [text] });
    } else if (prev && prev.type === 'p' && prev.lines.length) prev.lines.push(line.trim());
    else if (prev && prev.type !== 'p' && /^\s{2,}/.test(raw)) prev.items[prev.items.length - 1] += ` ${line.trim()}`;
    else blocks.push({ type: 'p', lines: [line.trim()] });
  }
  return blocks.filter((b) => (b.type === 'p' ? b.lines.length > 0 : true));
}

export function Markdown(props: { source: string }) {
  return (
    <div dir="auto">
      {parseBlocks(props.source).map((b, i) =>
        b.type === 'p' ? (
          <Text key={i} mb="sm">
            {b.lines.map((l, j) => (
              <Fragment key={j}>
                {j > 0 && <br />}
                {renderInline(l, `${i}-${j}`)}
              </Fragment>
            ))}
          </Text>
        ) : (
          <List key={i} type={b.type === 'ol' ? 'ordered' : 'unordered'} mb="sm" withPadding>
            {b.items.map((it, j) => (
              <List.Item key={j}>{renderInline(it, `${i}-${j}`)}</List.Item>
            ))}
          </List>
        ),
      )}
    </div>
  );
}

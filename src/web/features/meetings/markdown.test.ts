import { isValidElement, type ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { parseBlocks, renderInline } from './markdown.tsx';

type El = ReactElement<{ href?: string; rel?: string; children?: unknown }>;
const elements = (nodes: unknown[]) => nodes.filter(isValidElement) as El[];

describe('the meeting-notes markdown renderer', () => {
  it('splits paragraphs and bullet and numbered lists', () => {
    expect(parseBlocks('First line\nsame paragraph\n\n- one\n- two\n\n1. a\n2) b\nafter')).toEqual([
      { type: 'p', lines: ['First line', 'same paragraph'] },
      { type: 'ul', items: ['one', 'two'] },
      { type: 'ol', items: ['a', 'b'] },
      { type: 'p', lines: ['after'] },
    ]);
  });

  it('renders bold, italics and http links with rel=noopener', () => {
    const out = elements(renderInline('**bold** and *it* and [brief](https://example.org/x)'));
    expect(out.map((e) => (typeof e.type === 'string' ? e.type : 'link'))).toEqual(['strong', 'em', 'link']);
    expect(out[2]!.props.href).toBe('https://example.org/x');
    expect(out[2]!.props.rel).toContain('noopener');
  });

  it('never makes a link of javascript: or data: addresses, and leaves HTML as text', () => {
    const out = renderInline('[x](javascript:alert(1)) [y](data:text/html,hi) <img src=x onerror=alert(1)>');
    expect(elements(out).some((e) => e.props.href !== undefined)).toBe(false);
    expect(out.filter((n) => typeof n === 'string').join('')).toContain('<img src=x onerror=alert(1)>');
  });

  it('keeps snake_case words as they are', () => {
    expect(renderInline('meeting_staff and access_grant')).toEqual(['meeting_staff and access_grant']);
  });
});

import { createElement as h, type ReactNode } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';

// The list pages' table scaffold, rendered to HTML: each state a list can be in shows what it should, and only that.

type Row = { id: string; name: string };
type Source = { rows: Row[] | undefined; pending: boolean; error: unknown; hasMore?: boolean; loadingMore?: boolean; loadMore?: () => void };
let render: (source: Source, extra?: { empty?: ReactNode; moreLabel?: string }) => string;
let ApiErrorClass: typeof import('../api.ts').ApiError;

beforeAll(async () => {
  // the web app's i18n module sets <html lang dir> and reads the device's choice when loaded: give it a document
  Object.assign(globalThis, { document: { documentElement: {} }, localStorage: { getItem: () => 'en', setItem: () => {} } });
  if (!('navigator' in globalThis)) Object.assign(globalThis, { navigator: { languages: ['en'] } });
  const [{ renderToStaticMarkup }, { MantineProvider, Table }, { startI18n }, { DataTable }, { ApiError }] = await Promise.all([
    import('react-dom/server'),
    import('@mantine/core'),
    import('../i18n.ts'),
    import('./data-table.tsx'),
    import('../api.ts'),
  ]);
  await startI18n('en', (await import('../../i18n/catalog-en.ts')).default);
  ApiErrorClass = ApiError;
  const row = (r: Row) => h(Table.Tr, { key: r.id }, h(Table.Td, null, r.name), h(Table.Td, null), h(Table.Td, null, '1'));
  render = (source, extra = {}) =>
    renderToStaticMarkup(
      h(
        MantineProvider,
        null,
        h(DataTable<Row>, {
          label: 'Things',
          minWidth: 500,
          columns: ['Name', { label: 'Actions', hidden: true }, { label: 'Count', align: 'end' }],
          source,
          row,
          ...extra,
        }),
      ),
    );
});

const rows = [
  { id: 'a', name: 'Alpha' },
  { id: 'b', name: 'Beta' },
];

describe('DataTable', () => {
  it('shows a loader named "Loading…" until the first answer, and no table', () => {
    const html = render({ rows: undefined, pending: true, error: null });
    expect(html).toMatch(/<[^>]*role="status"[^>]*aria-label="Loading…"|<[^>]*aria-label="Loading…"[^>]*role="status"/);
    expect(html).not.toContain('<table');
  });

  it('says what went wrong as an alert, and shows no table when nothing came', () => {
    const html = render({ rows: undefined, pending: false, error: new ApiErrorClass(0, 'network_error', 'unreachable') });
    expect(html).toContain('role="alert"');
    expect(html).toContain('The server could not be reached');
    expect(html).not.toContain('<table');
  });

  it('says an empty list is empty in place of the table, or keeps the header when it has nothing to say', () => {
    const said = render({ rows: [], pending: false, error: null }, { empty: 'Nothing here yet.' });
    expect(said).toContain('Nothing here yet.');
    expect(said).not.toContain('<table');
    const quiet = render({ rows: [], pending: false, error: null });
    expect(quiet).toMatch(/<th[^>]*>Name<\/th>/);
    expect(quiet).not.toContain('<td');
  });

  it('puts the rows in a focusable region named for the table, which scrolls sideways on small screens', () => {
    const html = render({ rows, pending: false, error: null }, { empty: 'Nothing here yet.' });
    expect(html.match(/<tr/g)).toHaveLength(3);
    expect(html).toContain('Alpha');
    expect(html).toContain('Beta');
    expect(html).not.toContain('Nothing here yet.');
    expect(html).toMatch(/role="region"[^>]*aria-label="Things"|aria-label="Things"[^>]*role="region"/);
    expect(html).toMatch(/tabindex="0"/);
    expect(html).toContain('min-width:calc(31.25rem');
  });

  it('names a column of buttons for screen readers only, and aligns figures to the end', () => {
    const html = render({ rows, pending: false, error: null });
    expect(html).toMatch(/<th[^>]*>.*Actions.*<\/th>/);
    expect(html).toMatch(/<th[^>]*text-align:end[^>]*>Count<\/th>/);
  });

  it('offers "load more" only while there are more pages, under its own label when given', () => {
    expect(render({ rows, pending: false, error: null, hasMore: false })).not.toContain('Load more');
    expect(render({ rows, pending: false, error: null, hasMore: true, loadMore: () => {} })).toContain('Load more');
    const own = render({ rows, pending: false, error: null, hasMore: true, loadMore: () => {} }, { moreLabel: 'Show more' });
    expect(own).toContain('Show more');
    expect(own).not.toContain('Load more');
  });
});

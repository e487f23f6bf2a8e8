import { Button, Group, Loader, Stack, Table, Text, VisuallyHidden, type TableProps } from '@mantine/core';
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../api.ts';
import { ErrorAlert } from './error-alert.tsx';
import { ScrollTable } from './scroll-table.tsx';

// The list pages' table scaffold (people, invitations, offices, staff, audit log, erasure requests, calendar feeds …):
// one place for the states every list has, so each page writes only its columns and its row.
//
// A new list page (e.g. background jobs) needs three things: where the rows come from, the columns, and a row.
//
//   const jobs = usePagedRows(['jobs'], (cursor) => api.jobs(cursor));      // cursor pages: { items, nextCursor }
//   // or, for a list that comes in one answer: rowsOf(useQuery({ queryKey: ['jobs'], queryFn: api.jobs }))
//   <DataTable
//     label={title} minWidth={720}                                        // names the table; below 720 px it scrolls
//     columns={[nameHeader, stateHeader, { label: actionsHeader, hidden: true }]}
//     source={jobs}
//     row={(j) => (<Table.Tr key={j.id}><Table.Td>…</Table.Td>…</Table.Tr>)}
//     empty={noneYetSentence}
//   />

/**
 * A column header: its text, or `{ label, hidden: true }` for a header only screen readers need (a column of buttons);
 * `align: 'end'` for figures.
 */
export type DataColumn = string | { label: string; hidden?: boolean; align?: 'end' };

/** Where a table's rows come from: `rowsOf` one answer, or `usePagedRows` cursor pages. */
export type RowSource<T> = {
  /** undefined until the first answer (or when it failed) */
  rows: T[] | undefined;
  /** the first answer is awaited */
  pending: boolean;
  error: unknown;
  /** another page exists (pagination by "load more") */
  hasMore?: boolean;
  loadingMore?: boolean;
  loadMore?: () => void;
};

/** The rows of a query answering `{ items }` in one go (useQuery's result). */
export function rowsOf<T>(query: { data?: { items: T[] }; isPending: boolean; error: unknown }): RowSource<T> {
  return { rows: query.data?.items, pending: query.isPending, error: query.error };
}

/**
 * A list read in pages of `{ items, nextCursor }`, the next one loaded on demand. The key must not be one a plain
 * useQuery uses for the same resource (their data differ): e.g. ['users', 'pages'], which invalidating ['users'] still refreshes.
 */
export function usePagedRows<T>(queryKey: QueryKey, fetchPage: (cursor: string | undefined) => Promise<Page<T>>): RowSource<T> {
  const q = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return {
    rows: q.data?.pages.flatMap((p) => p.items),
    pending: q.isPending,
    error: q.error,
    hasMore: q.hasNextPage,
    loadingMore: q.isFetchingNextPage,
    loadMore: () => void q.fetchNextPage(),
  };
}

/**
 * A list as a table, with its states: the error (as a sentence, role="alert"), a loader until the first answer, the
 * `empty` text when there is nothing (without it, an empty list keeps its header), and a "load more" button while
 * `source` has more pages. On small screens the table keeps `minWidth` and scrolls sideways in a focusable region
 * named `label`, so the keyboard can scroll it too.
 */
export function DataTable<T>(props: {
  /** names the table's scrolling region for screen readers */
  label: string;
  /** the width (px) under which the table scrolls sideways instead of squeezing its columns */
  minWidth: number;
  columns: DataColumn[];
  source: RowSource<T>;
  /** one row: a <Table.Tr key=…> (or a component rendering one) */
  row: (item: T) => ReactNode;
  /** what an empty list says, in place of the table */
  empty?: ReactNode;
  /** the "load more" button's text; "Load more" in the interface language by default */
  moreLabel?: string;
  /** Mantine Table props; striped rows with spacing "sm" by default */
  table?: Omit<TableProps, 'children'>;
}) {
  const { t } = useTranslation();
  const { source, empty } = props;
  const rows = source.rows;
  return (
    <Stack gap="sm">
      <ErrorAlert error={source.error} />
      {source.pending ? (
        <Loader role="status" aria-label={t('common.loading')} />
      ) : rows === undefined ? null : rows.length === 0 && empty !== undefined ? (
        <Text c="dimmed">{empty}</Text>
      ) : (
        <ScrollTable label={props.label} minWidth={props.minWidth}>
          <Table verticalSpacing="sm" striped {...props.table}>
            <Table.Thead>
              <Table.Tr>
                {props.columns.map((c, i) => {
                  const col = typeof c === 'string' ? { label: c } : c;
                  return (
                    <Table.Th key={i} ta={col.align}>
                      {col.hidden ? <VisuallyHidden>{col.label}</VisuallyHidden> : col.label}
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>{rows.map(props.row)}</Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {source.hasMore && (
        <Group justify="center">
          <Button variant="light" onClick={source.loadMore} loading={source.loadingMore}>
            {props.moreLabel ?? t('common.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

import { Alert, Badge, Button, Checkbox, FileInput, Group, Paper, Progress, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconCheck, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { RouterAnchor } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatNumber } from '../../format.ts';
import { IMPORT_FIELDS, networkApi, type ImportList, type ImportResult, type ImportRowError, type ImportRun } from './network.api.ts';
import { ErrorAlert, useMe, useStaffOptions } from './network-ui.tsx';
import { guessScript } from './reader-name.ts';

const IGNORE = '__ignore__';

/** A sampled row's values as the server would write them (network.api's sample), each with its label's catalog key. */
const SAMPLE_LABELS: Record<string, string> = {
  names: 'org.form.names',
  kind: 'import.fields.kind',
  status: 'import.fields.status',
  country: 'import.fields.country',
  area: 'import.fields.area',
  city: 'import.fields.city',
  website: 'import.fields.website',
  languages: 'import.fields.languages',
  description: 'import.fields.description',
  tags: 'import.fields.tags',
  ownerId: 'org.fields.owner',
  emails: 'import.fields.email',
  phones: 'import.fields.phone',
  preferredLanguage: 'import.fields.preferred_language',
  organisationName: 'import.fields.organisation',
  title: 'import.fields.title',
  notes: 'import.fields.notes',
};

/**
 * A sampled row in the reader's words: labels translated, kinds and statuses named, languages by their names, the
 * relationship holder by name, and each name isolated with the script it is written in. Values the preview does not
 * show (an organisation's id beside its name) are left out rather than shown as codes.
 */
function SampleValues({ values }: { values: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const { nameOf } = useStaffOptions();
  const languageName = (code: string) => {
    try {
      return new Intl.DisplayNames([i18n.language], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  };
  const text = (key: string, v: unknown): ReactNode => {
    if (key === 'names' && Array.isArray(v)) {
      return (v as { name: string }[]).map((n, i) => {
        const script = guessScript(n.name);
        return (
          <span key={i}>
            {i > 0 && ', '}
            <bdi>{n.name}</bdi>
            {script && (
              <Text span c="dimmed" size="sm">
                {' '}({t(`network.scripts.${script}`)})
              </Text>
            )}
          </span>
        );
      });
    }
    if (key === 'kind' && typeof v === 'string' && i18n.exists(`org.kinds.${v}`)) return t(`org.kinds.${v}`);
    if (key === 'status' && typeof v === 'string' && i18n.exists(`org.statuses.${v}`)) return t(`org.statuses.${v}`);
    if (key === 'ownerId' && typeof v === 'string') return nameOf(v) ?? null;
    if (key === 'languages' && Array.isArray(v)) return v.map((l) => languageName(String(l))).join(', ');
    if (key === 'preferredLanguage' && typeof v === 'string') return languageName(v);
    if (Array.isArray(v)) return <bdi>{v.map(String).join(', ')}</bdi>;
    return typeof v === 'string' || typeof v === 'number' ? <bdi>{v}</bdi> : null;
  };
  const shown = Object.entries(values)
    .filter(([k, v]) => k in SAMPLE_LABELS && v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => [k, text(k, v)] as const)
    .filter(([, node]) => node !== null);
  return (
    <Text size="sm">
      {shown.map(([k, node], i) => (
        <span key={k}>
          {i > 0 && ' · '}
          <Text span c="dimmed" size="sm">
            {t('import.labelled', { label: t(SAMPLE_LABELS[k]!) })}
          </Text>{' '}
          {node}
        </span>
      ))}
    </Text>
  );
}

/**
 * A row error in the reader's language, from its code and params (numbers formatted, an organisation kind named,
 * a bad value isolated in <bdi>; the list as context: "the same organisation/person as row N"). The server's
 * English detail stands in for a code the catalogs do not know yet, and follows the generic `invalid` message.
 */
function RowProblem({ error, list }: { error: ImportRowError; list: ImportList }) {
  const { t, i18n } = useTranslation();
  const key = `import.rowErrors.${error.code}`;
  const english = (
    <Text size="sm" lang="en" dir="ltr" ta="start" c={error.code === 'invalid' ? 'dimmed' : undefined}>
      {error.detail}
    </Text>
  );
  if (!i18n.exists(key)) return english;
  const values = Object.fromEntries(
    Object.entries(error.params).map(([k, v]) => [
      k,
      typeof v === 'number' ? formatNumber(v, i18n.language) : k === 'kind' && i18n.exists(`org.kinds.${v}`) ? t(`org.kinds.${v}`) : v,
    ]),
  );
  return (
    <>
      <Text size="sm" ta="start">
        <Trans i18nKey={key} values={values} context={list} components={{ bdi: <bdi /> }} />
      </Text>
      {error.code === 'invalid' && english}
    </>
  );
}

const isRun = (x: ImportResult | ImportRun): x is ImportRun => 'state' in x && 'kind' in x;

/** A background import: how far it has got, or why it stopped and which rows were written. */
function RunProgress({ run }: { run: ImportRun }) {
  const { t, i18n } = useTranslation();
  const fmt = (n: number) => formatNumber(n, i18n.language);
  if (run.state === 'failed') {
    const rowErrors = (run.error?.rowErrors ?? []) as ImportRowError[];
    const last = run.written?.length ? run.written[run.written.length - 1]!.row : null;
    return (
      <Alert color="red" role="alert" title={t('importRun.failedTitle')}>
        <Stack gap="xs">
          <Text size="sm">
            {/* the reason in the reader's words; a reason this page does not know, as the server wrote it */}
            {t(`importRun.reasons.${String(run.error?.code ?? '')}`, { row: run.error?.row, defaultValue: String(run.error?.message ?? '') })}
          </Text>
          <Text size="sm">{t('importRun.failedBody', { written: fmt(run.done), left: fmt(run.total - run.done) })}</Text>
          <Text size="sm">{last ? t('importRun.failedRows', { last: fmt(last) }) : t('importRun.failedNone')}</Text>
          {rowErrors.length > 0 && (
            <Text size="sm">
              {t('importRun.rowErrorsNow')} {rowErrors.slice(0, 20).map((e) => `${e.row} (${e.field})`).join(', ')}
            </Text>
          )}
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="blue" role="status" title={t('importRun.progressTitle')}>
      <Stack gap="xs">
        <Progress value={run.total ? (100 * run.done) / run.total : 0} aria-label={t('importRun.progressTitle')} animated striped />
        <Text size="sm">{run.state === 'queued' ? t('importRun.queued') : t('importRun.progress', { done: fmt(run.done), total: fmt(run.total) })}</Text>
        <Text size="xs" c="dimmed">
          {t('importRun.leave')}
        </Text>
      </Stack>
    </Alert>
  );
}

/** CSV import: mapping, preview with row-level errors, dropping bad rows; all rows checked before any is written. */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const queryClient = useQueryClient();
  const [list, setList] = useState<ImportList>('organisations');
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, string> | undefined>(undefined);
  const [skipRows, setSkipRows] = useState<number[]>([]);
  // the errors of dropped rows stay listed (ticked), since the server no longer checks those rows
  const [dropped, setDropped] = useState<Record<number, ImportRowError[]>>({});
  const fmt = (n: number) => formatNumber(n, i18n.language);

  const reset = () => {
    setMapping(undefined);
    setSkipRows([]);
    setDropped({});
    commit.reset();
  };
  const choose = async (f: File | null) => {
    setFile(f);
    reset();
    setCsv(f ? await f.text() : null);
  };
  const fileKey = file ? `${file.name}:${file.size}:${file.lastModified}` : '';
  const preview = useQuery({
    queryKey: ['import-preview', list, fileKey, mapping, skipRows],
    queryFn: () => networkApi.importPreview({ list, csv: csv!, mapping, skipRows }),
    enabled: !!csv && canWrite,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: Infinity,
  });
  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: [list] });
    void queryClient.invalidateQueries({ queryKey: ['member-health'] });
  };
  const commit = useMutation({
    mutationFn: () => networkApi.importCommit({ list, csv: csv!, mapping: mapping ?? preview.data?.mapping, skipRows }),
    onSuccess: (out) => {
      if (!isRun(out)) invalidate();
    },
  });
  // a large file: written by a background job, followed here until it ends
  const started = commit.data && isRun(commit.data) ? commit.data : null;
  const run = useQuery({
    queryKey: ['import-run', started?.id],
    queryFn: () => networkApi.importRun(started!.id),
    enabled: !!started,
    initialData: started ?? undefined,
    refetchInterval: (q) => (q.state.data && (q.state.data.state === 'done' || q.state.data.state === 'failed') ? false : 1000),
  });
  const runState = started ? run.data?.state : undefined;
  useEffect(() => {
    if (runState === 'done' || runState === 'failed') invalidate();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runState]);
  const result = commit.data && !isRun(commit.data) ? commit.data : run.data?.state === 'done' ? (run.data.result as unknown as ImportResult) : null;

  const p = preview.data;
  const currentMapping = mapping ?? p?.mapping ?? {};
  const fieldOptions = useMemo(
    () => [{ value: IGNORE, label: t('import.ignore') }, ...IMPORT_FIELDS[list].map((f) => ({ value: f, label: t(`import.fields.${f}`) }))],
    [list, t],
  );
  const badRows = useMemo(() => [...new Set((p?.errors ?? []).map((e) => e.row))], [p]);
  const setColumn = (column: string, field: string | null) => {
    const next = { ...currentMapping };
    if (!field || field === IGNORE) delete next[column];
    else next[column] = field;
    setMapping(next);
    commit.reset();
  };
  const remember = (rows: number[]) =>
    setDropped((d) => ({ ...d, ...Object.fromEntries(rows.map((r) => [r, (p?.errors ?? []).filter((e) => e.row === r)])) }));
  const shownErrors = [...(p?.errors ?? []), ...skipRows.flatMap((r) => dropped[r] ?? [])].sort((a, b) => a.row - b.row);
  const toggleSkip = (row: number, skip: boolean) => {
    if (skip) remember([row]);
    setSkipRows((s) => (skip ? [...new Set([...s, row])].sort((a, b) => a - b) : s.filter((r) => r !== row)));
    commit.reset();
  };

  if (!canWrite) {
    return (
      <Stack gap="lg" maw={960}>
        <Title order={1}>{t('import.title')}</Title>
        <Alert color="gray">{t('import.viewerNote')}</Alert>
      </Stack>
    );
  }

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1}>{t('import.title')}</Title>
        <Text c="dimmed">{t('importRun.intro')}</Text>
      </div>
      <Paper withBorder p="md">
        <Stack>
          <div>
            <Text size="sm" fw={500} mb={4} id="import-list-label">
              {t('import.what')}
            </Text>
            <SegmentedControl
              aria-labelledby="import-list-label"
              value={list}
              onChange={(v) => (setList(v as ImportList), reset())}
              data={[
                { value: 'organisations', label: t('import.lists.organisations') },
                { value: 'people', label: t('import.lists.people') },
              ]}
            />
          </div>
          <FileInput
            label={t('import.file')}
            description={t('import.fileHint')}
            accept=".csv,text/csv"
            value={file}
            onChange={(f) => void choose(f)}
            leftSection={<IconFileSpreadsheet size={16} aria-hidden />}
            clearable
            clearButtonProps={{ 'aria-label': t('import.clearFile') }}
            maw={480}
          />
        </Stack>
      </Paper>

      <ErrorAlert error={preview.error} />

      {p && csv && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} role="status" aria-label={t('import.summary')}>
            {[
              ['rows', p.rows],
              ['valid', p.valid],
              ['create', p.actions.create],
              ['update', p.actions.update],
              ['skipped', p.skipped],
              ['errors', p.errors.length],
            ].map(([k, n]) => (
              <Paper key={k as string} withBorder p="sm">
                <Text size="xs" c="dimmed" fw={600}>
                  {t(`import.counts.${k}`)}
                </Text>
                <Text fz="xl" fw={700} c={k === 'errors' && (n as number) > 0 ? 'red.8' : undefined}>
                  {fmt(n as number)}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>

          <Stack gap="xs" component="section" aria-labelledby="import-mapping">
            <Title order={2} fz="h3" id="import-mapping">
              {t('import.mapping')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('import.mappingHint')}
            </Text>
            <ScrollTable label={t('import.mapping')} minWidth={520}>
              <Table verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('import.column')}</Table.Th>
                    <Table.Th>{t('import.field')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.columns.map((c) => (
                    <Table.Tr key={c}>
                      <Table.Td>
                        <bdi>{c}</bdi>
                      </Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={t('import.fieldFor', { column: `\u2068${c}\u2069` })}
                          data={fieldOptions}
                          value={currentMapping[c] ?? IGNORE}
                          onChange={(v) => setColumn(c, v)}
                          allowDeselect={false}
                          size="xs"
                          w={260}
                          comboboxProps={{ withinPortal: true }}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          </Stack>

          {(p.errors.length > 0 || skipRows.length > 0) && (
            <Stack gap="xs" component="section" aria-labelledby="import-errors">
              <Group justify="space-between" wrap="wrap">
                <Title order={2} fz="h3" id="import-errors">
                  {t('import.errors', { count: badRows.length })}
                </Title>
                <Group gap="xs">
                  {badRows.length > 0 && (
                    <Button variant="default" onClick={() => (remember(badRows), setSkipRows((s) => [...new Set([...s, ...badRows])].sort((a, b) => a - b)), commit.reset())}>
                      {t('import.dropAll')}
                    </Button>
                  )}
                  {skipRows.length > 0 && (
                    <Button variant="subtle" onClick={() => (setSkipRows([]), commit.reset())}>
                      {t('import.keepAll', { count: skipRows.length })}
                    </Button>
                  )}
                </Group>
              </Group>
              {shownErrors.length > 0 && (
                <ScrollTable label={t('import.errors', { count: badRows.length })} minWidth={760}>
                  <Table verticalSpacing="xs" striped data-testid="import-errors">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('import.row')}</Table.Th>
                        <Table.Th>{t('import.field')}</Table.Th>
                        <Table.Th>{t('import.column')}</Table.Th>
                        <Table.Th>{t('import.value')}</Table.Th>
                        <Table.Th>{t('import.problem')}</Table.Th>
                        <Table.Th>{t('import.drop')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {shownErrors.map((e, i) => (
                        <Table.Tr key={`${e.row}:${e.field}:${i}`}>
                          <Table.Td>{e.row}</Table.Td>
                          <Table.Td>{i18n.exists(`import.fields.${e.field}`) ? t(`import.fields.${e.field}`) : e.field}</Table.Td>
                          <Table.Td>{e.column && <bdi>{e.column}</bdi>}</Table.Td>
                          <Table.Td>{e.value && <bdi>{e.value}</bdi>}</Table.Td>
                          <Table.Td>
                            <RowProblem error={e} list={p.list} />
                          </Table.Td>
                          <Table.Td>
                            <Checkbox aria-label={t('import.dropRow', { row: e.row })} checked={skipRows.includes(e.row)} onChange={(ev) => toggleSkip(e.row, ev.currentTarget.checked)} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollTable>
              )}
              {skipRows.length > 0 && (
                <Text size="sm" c="dimmed">
                  {t('import.skipping', { rows: skipRows.join(', ') })}
                </Text>
              )}
            </Stack>
          )}

          {p.sample.length > 0 && (
            <Stack gap="xs" component="section" aria-labelledby="import-sample">
              <Title order={2} fz="h3" id="import-sample">
                {t('import.sample')}
              </Title>
              <ScrollTable label={t('import.sample')} minWidth={760}>
                <Table verticalSpacing="xs" striped data-testid="import-sample">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('import.row')}</Table.Th>
                      <Table.Th>{t('import.action')}</Table.Th>
                      <Table.Th>{t('import.values')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {p.sample.map((s) => (
                      <Table.Tr key={s.row}>
                        <Table.Td>{s.row}</Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={s.action === 'create' ? 'teal' : 'blue'}>
                            {t(`import.actions.${s.action}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <SampleValues values={s.values} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            </Stack>
          )}

          <Paper withBorder p="md">
            <Stack gap="sm">
              {p.errors.length > 0 ? (
                <Text c="red.8">{t('import.fixFirst', { count: badRows.length })}</Text>
              ) : (
                <Text>{t('import.ready', { create: fmt(p.actions.create), update: fmt(p.actions.update) })}</Text>
              )}
              <ErrorAlert error={commit.error} />
              {started && run.data && run.data.state !== 'done' && <RunProgress run={run.data} />}
              {result ? (
                <Alert color="teal" icon={<IconCheck aria-hidden />} role="status" title={t('import.done')}>
                  <Stack gap="xs">
                    <Text size="sm">{t('import.doneBody', { created: fmt(result.created), updated: fmt(result.updated), skipped: fmt(result.skipped) })}</Text>
                    <RouterAnchor to={list === 'organisations' ? '/network' : '/network/people'}>{t(`import.open.${list}`)}</RouterAnchor>
                  </Stack>
                </Alert>
              ) : started ? null : (
                <div>
                  <Button leftSection={<IconUpload size={16} aria-hidden />} disabled={p.errors.length > 0 || p.valid === 0 || preview.isFetching} loading={commit.isPending} onClick={() => commit.mutate()}>
                    {t('import.commit', { count: p.valid })}
                  </Button>
                </div>
              )}
            </Stack>
          </Paper>
        </>
      )}
    </Stack>
  );
}

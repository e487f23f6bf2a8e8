import { Alert, Button, FileInput, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconCheck, IconFileImport, IconListCheck } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { csvHeader, guessColumn } from './csv-header.ts';
import { useArmName } from './overview-tab.tsx';
import { studiesApi, studyKeys, type ImportMapping, type ImportPreview, type Study } from './studies.api.ts';
import { Section, useLocalized, useMe, useNumbers } from './studies-ui.tsx';

/** Reads a chosen file as text (the API takes the CSV's text). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

/**
 * A row error in the reader's language, from its code and params (a question key isolated in <bdi>). The server's
 * English detail stands in for a code the catalogs do not know yet.
 */
function RowProblem({ error }: { error: ImportPreview['errors'][number] }) {
  const { i18n } = useTranslation();
  const key = `studies.import.rowErrors.${error.code}`;
  if (!i18n.exists(key))
    return (
      <Text size="sm" lang="en" dir="ltr" ta="start">
        {error.detail}
      </Text>
    );
  return (
    <Text size="sm" ta="start">
      <Trans i18nKey={key} values={error.params} components={{ bdi: <bdi /> }} />
    </Text>
  );
}

type Columns = { population: string | null; treatment: string | null; cluster: string | null; outcomes: Record<string, string | null>; covariates: Record<string, string | null> };

function guess(study: Study, header: string[]): Columns {
  const byKey = (role: 'outcome' | 'covariate') =>
    Object.fromEntries(study.questions.filter((q) => q.role === role).map((q) => [q.key, guessColumn(header, q.key) ?? null]));
  return {
    population: guessColumn(header, 'population', /^(segment|group|pop|country|sample)$/i) ?? null,
    treatment: guessColumn(header, 'treatment', /^(arm|condition|message|treat|group_assignment)$/i) ?? null,
    cluster: guessColumn(header, 'cluster', /^(household|hh|hh_?id|household_?id|cluster_?id)$/i) ?? null,
    outcomes: byKey('outcome'),
    covariates: byKey('covariate'),
  };
}

/**
 * Responses from a panel vendor's CSV: choose the file, map its columns (dropdowns from the header row) and its
 * population and condition labels, check it (the server reads every row and names the bad ones), then import
 * it all or nothing.
 */
export function ImportTab({ study: s }: { study: Study }) {
  const { t } = useTranslation();
  const { canWrite } = useMe();
  const f = useNumbers();
  const name = useLocalized();
  const armName = useArmName(s);
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [header, setHeader] = useState<string[]>([]);
  const [columns, setColumns] = useState<Columns | null>(null);
  const [populationValues, setPopulationValues] = useState<Record<string, string | null>>({});
  const [armValues, setArmValues] = useState<Record<string, string | null>>({});
  const [previewedFor, setPreviewedFor] = useState<string | null>(null);
  // labels the study does not know, kept once seen so their dropdowns stay after they are mapped
  const [seen, setSeen] = useState<{ populations: string[]; arms: string[] }>({ populations: [], arms: [] });
  const [readError, setReadError] = useState<unknown>(null);

  const outcomes = s.questions.filter((q) => q.role === 'outcome');
  const covariates = s.questions.filter((q) => q.role === 'covariate');

  const choose = async (f: File | null) => {
    setFile(f);
    setCsv(null);
    setHeader([]);
    setColumns(null);
    setPopulationValues({});
    setArmValues({});
    setSeen({ populations: [], arms: [] });
    preview.reset();
    commit.reset();
    setReadError(null);
    if (!f) return;
    try {
      const text = await readText(f);
      const h = csvHeader(text.slice(0, 65_536));
      setCsv(text);
      setHeader(h);
      setColumns(guess(s, h));
    } catch (e) {
      setReadError(e);
    }
  };

  const mapping = useMemo((): ImportMapping | null => {
    if (!columns?.population || !columns.treatment) return null;
    const pick = (m: Record<string, string | null>) => Object.fromEntries(Object.entries(m).filter((e): e is [string, string] => !!e[1]));
    return {
      population: columns.population,
      treatment: columns.treatment,
      ...(columns.cluster ? { cluster: columns.cluster } : {}),
      outcomes: pick(columns.outcomes),
      ...(Object.values(columns.covariates).some(Boolean) ? { covariates: pick(columns.covariates) } : {}),
      ...(Object.values(populationValues).some(Boolean) ? { populationValues: pick(populationValues) } : {}),
      ...(Object.values(armValues).some(Boolean) ? { armValues: pick(armValues) } : {}),
    };
  }, [columns, populationValues, armValues]);
  const mappingKey = JSON.stringify(mapping);
  const outcomeMapped = !!mapping && Object.keys(mapping.outcomes).length > 0;

  const preview = useMutation({
    mutationFn: () => studiesApi.previewImport(s.id, { csv: csv!, mapping: mapping! }),
    onSuccess: (r) => {
      setPreviewedFor(mappingKey);
      setSeen((x) => ({ populations: [...new Set([...x.populations, ...r.unknownPopulations])], arms: [...new Set([...x.arms, ...r.unknownArms])] }));
    },
  });
  const commit = useMutation({
    mutationFn: () => studiesApi.commitImport(s.id, { csv: csv!, mapping: mapping! }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: studyKeys.one(s.id) });
      void queryClient.invalidateQueries({ queryKey: studyKeys.list() });
    },
  });
  const p = preview.data;
  const current = !!p && previewedFor === mappingKey;
  const unmapped = [...seen.populations.filter((v) => !populationValues[v]), ...seen.arms.filter((v) => !armValues[v])].length;
  const ready = current && p.errors.length === 0 && p.unknownPopulations.length + p.unknownArms.length === 0 && p.accepted > 0;
  const colData = header.map((h) => ({ value: h, label: h }));
  const setCol = (patch: Partial<Columns>) => setColumns((c) => (c ? { ...c, ...patch } : c));

  if (!canWrite) return <Text c="dimmed">{t('studies.import.readOnly')}</Text>;

  return (
    <Stack gap="lg" maw={1100}>
      <Section title={t('studies.import.title')} hint={t('studies.import.hint')} id="import-title">
        <FileInput
          label={t('studies.import.file')}
          description={t('studies.import.fileHint')}
          accept=".csv,text/csv"
          value={file}
          onChange={(f) => void choose(f)}
          clearable
          clearButtonProps={{ 'aria-label': t('studies.import.clear') }}
          leftSection={<IconFileImport size={16} aria-hidden />}
          w={460}
          maw="100%"
          data-testid="import-file"
        />
        <ErrorAlert error={readError} />
        {csv !== null && header.length === 0 && <Alert color="red">{t('studies.import.noHeader')}</Alert>}
        {header.length > 0 && (
          <Text size="sm" c="dimmed" data-testid="import-columns">
            {t('studies.import.columnsFound', { n: f.int(header.length) })}
          </Text>
        )}
      </Section>

      {columns && (
        <Section title={t('studies.import.columns')} hint={t('studies.import.columnsHint')} id="import-columns-title">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select label={t('studies.import.population')} data={colData} value={columns.population} onChange={(v) => setCol({ population: v })} withAsterisk searchable comboboxProps={{ withinPortal: true }} />
            <Select label={t('studies.import.treatment')} data={colData} value={columns.treatment} onChange={(v) => setCol({ treatment: v })} withAsterisk searchable comboboxProps={{ withinPortal: true }} />
            <Select label={t('studies.import.cluster')} description={t('studies.import.clusterHint')} data={colData} value={columns.cluster} onChange={(v) => setCol({ cluster: v })} clearable searchable comboboxProps={{ withinPortal: true }} />
          </SimpleGrid>
          <Title order={3} fz="h6">
            {t('studies.import.outcomes')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {outcomes.map((q) => (
              <Select
                key={q.key}
                label={t('studies.import.columnFor', { key: q.key, prompt: name(q.prompt, s.languages) })}
                data={colData}
                value={columns.outcomes[q.key] ?? null}
                onChange={(v) => setCol({ outcomes: { ...columns.outcomes, [q.key]: v } })}
                clearable
                searchable
                comboboxProps={{ withinPortal: true }}
              />
            ))}
          </SimpleGrid>
          {covariates.length > 0 && (
            <>
              <Title order={3} fz="h6">
                {t('studies.import.covariates')}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                {covariates.map((q) => (
                  <Select
                    key={q.key}
                    label={t('studies.import.columnFor', { key: q.key, prompt: name(q.prompt, s.languages) })}
                    data={colData}
                    value={columns.covariates[q.key] ?? null}
                    onChange={(v) => setCol({ covariates: { ...columns.covariates, [q.key]: v } })}
                    clearable
                    searchable
                    comboboxProps={{ withinPortal: true }}
                  />
                ))}
              </SimpleGrid>
            </>
          )}
          {seen.populations.length + seen.arms.length > 0 && (
            <Stack gap="xs">
              <Title order={3} fz="h6">
                {t('studies.import.values')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('studies.import.valuesHint')}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                {seen.populations.map((v) => (
                  <Select
                    key={`p-${v}`}
                    label={t('studies.import.populationValue', { value: v })}
                    data={s.populations.map((x) => ({ value: x.key, label: name(x.name) }))}
                    value={populationValues[v] ?? null}
                    onChange={(k) => setPopulationValues((all) => ({ ...all, [v]: k }))}
                    clearable
                    comboboxProps={{ withinPortal: true }}
                    data-testid="population-value"
                  />
                ))}
                {seen.arms.map((v) => (
                  <Select
                    key={`a-${v}`}
                    label={t('studies.import.armValue', { value: v })}
                    data={s.arms.map((a) => ({ value: a.key, label: armName(a.id) }))}
                    value={armValues[v] ?? null}
                    onChange={(k) => setArmValues((all) => ({ ...all, [v]: k }))}
                    clearable
                    comboboxProps={{ withinPortal: true }}
                    data-testid="arm-value"
                  />
                ))}
              </SimpleGrid>
            </Stack>
          )}
          {!outcomeMapped && mapping && (
            <Text size="sm" c="orange.9">
              {t('studies.import.needOutcome')}
            </Text>
          )}
          <Group>
            <Button variant="light" leftSection={<IconListCheck size={16} aria-hidden />} onClick={() => (commit.reset(), preview.mutate())} loading={preview.isPending} disabled={!mapping || !outcomeMapped || !csv}>
              {p ? t('studies.import.checkAgain') : t('studies.import.check')}
            </Button>
          </Group>
          <ErrorAlert error={preview.error} />
        </Section>
      )}

      {p && (
        <Section title={t('studies.import.preview')} id="import-preview-title">
          <Text size="sm" role="status" data-testid="import-summary">
            {t('studies.import.summary', { rows: f.int(p.rows), accepted: f.int(p.accepted), errors: f.int(p.errors.length) })}
          </Text>
          {!current && (
            <Text size="sm" c="orange.9">
              {t('studies.import.stale')}
            </Text>
          )}
          {Object.entries(p.missing).some(([, n]) => n > 0) && (
            <Text size="sm" c="dimmed">
              {t('studies.import.missing', {
                list: Object.entries(p.missing)
                  .map(([k, n]) => `${k}: ${f.int(n)}`)
                  .join(t('studies.list.separator')),
              })}
            </Text>
          )}
          {p.byPopulationArm.length > 0 && (
            <ScrollTable label={t('studies.import.byPopulationArm')} minWidth={480}>
              <Table withTableBorder verticalSpacing={4} data-testid="import-counts">
                <caption style={{ captionSide: 'top', textAlign: 'start' }}>
                  <Text size="sm" c="dimmed">
                    {t('studies.import.byPopulationArm')}
                  </Text>
                </caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('studies.figures.population')}</Table.Th>
                    <Table.Th scope="col">{t('studies.figures.arm')}</Table.Th>
                    <Table.Th scope="col" ta="end">
                      {t('studies.figures.n')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.byPopulationArm.map((r) => {
                    const pop = s.populations.find((x) => x.key === r.populationKey);
                    const arm = s.arms.find((x) => x.key === r.armKey);
                    return (
                      <Table.Tr key={`${r.populationKey}-${r.armKey}`}>
                        <Table.Td>
                          <bdi>{pop ? name(pop.name) : r.populationKey}</bdi>
                        </Table.Td>
                        <Table.Td>{arm ? armName(arm.id) : r.armKey}</Table.Td>
                        <Table.Td ta="end">{f.int(r.n)}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
          {p.errors.length > 0 && (
            <ScrollTable label={t('studies.import.errors')} minWidth={640}>
              <Table withTableBorder verticalSpacing={4} data-testid="import-errors">
                <caption style={{ captionSide: 'top', textAlign: 'start' }}>
                  <Text size="sm" c="red.9">
                    {t('studies.import.errorsCaption', { n: f.int(p.errors.length) })}
                  </Text>
                </caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col" ta="end">
                      {t('studies.import.row')}
                    </Table.Th>
                    <Table.Th scope="col">{t('studies.import.column')}</Table.Th>
                    <Table.Th scope="col">{t('studies.import.value')}</Table.Th>
                    <Table.Th scope="col">{t('studies.import.problem')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.errors.map((e, i) => (
                    <Table.Tr key={i}>
                      <Table.Td ta="end">{f.int(e.row)}</Table.Td>
                      <Table.Td dir="auto">{e.column}</Table.Td>
                      <Table.Td dir="auto">
                        <code>{e.value}</code>
                      </Table.Td>
                      <Table.Td>
                        <RowProblem error={e} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
          {unmapped > 0 && (
            <Text size="sm" c="orange.9">
              {t('studies.import.unmapped', { n: f.int(unmapped) })}
            </Text>
          )}
          <Group>
            <Button leftSection={<IconCheck size={16} aria-hidden />} onClick={() => commit.mutate()} loading={commit.isPending} disabled={!ready || commit.isSuccess}>
              {t('studies.import.commit', { n: f.int(p.accepted) })}
            </Button>
          </Group>
          <ErrorAlert error={commit.error} />
          {commit.data && (
            <Alert color="teal" role="status" data-testid="import-done">
              {t('studies.import.done', { n: f.int(commit.data.imported) })}
            </Alert>
          )}
        </Section>
      )}
    </Stack>
  );
}

import { Alert, Button, Group, List, Loader, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { CoefficientPlot, PlotLegend, sharedDomain } from './coefficient-plot.tsx';
import { useArmName } from './overview-tab.tsx';
import { VERDICTS, studiesApi, studyKeys, type Adjustment, type Analysis, type PopulationEffects, type SeType, type Study } from './studies.api.ts';
import classes from './studies.module.css';
import { Section, Typed, useLocalized, useMe, useNumbers, VerdictBadge } from './studies-ui.tsx';

const SE_TYPES: SeType[] = ['HC2', 'CR2', 'HC0', 'HC1', 'HC3'];
const ADJUSTMENTS: Adjustment[] = ['lin', 'additive', 'none'];

/** A select as wide as its longest choice (so the chosen one is not cut), never wider than its row. */
function fitWidth(options: { label: string }[], min: number) {
  const longest = Math.max(0, ...options.map((o) => [...o.label].length));
  return { w: `calc(${longest}ch + 3.5rem)`, miw: min, maw: '100%' };
}

/** Each message against control, per population, with verdicts, plots, the figures, and the model's prediction apart. */
export function AnalysisTab({ study: s }: { study: Study }) {
  const { t } = useTranslation();
  const name = useLocalized();
  const outcomes = s.questions.filter((q) => q.role === 'outcome');
  const primary = outcomes.find((q) => q.primary) ?? outcomes[0];
  const [outcome, setOutcome] = useState<string | null>(primary?.key ?? null);
  const [se, setSe] = useState<SeType | 'default'>('default');
  const [adjust, setAdjust] = useState<Adjustment | 'default'>('default');
  const params = { outcome: outcome ?? undefined, se: se === 'default' ? undefined : se, adjust: adjust === 'default' ? undefined : adjust };
  const analysis = useQuery({
    queryKey: studyKeys.analysis(s.id, params),
    queryFn: () => studiesApi.analysis(s.id, params),
    placeholderData: keepPreviousData,
    refetchInterval: s.status === 'open' ? 30_000 : false,
  });
  const a = analysis.data;
  const seOptions = [{ value: 'default', label: t('studies.analysis.seDefault') }, ...SE_TYPES.map((v) => ({ value: v, label: t(`studies.analysis.seTypes.${v}`) }))];
  const adjustOptions = [{ value: 'default', label: t('studies.analysis.adjustDefault') }, ...ADJUSTMENTS.map((v) => ({ value: v, label: t(`studies.analysis.adjustments.${v}`) }))];

  return (
    <Stack gap="lg">
      <Group align="flex-end" wrap="wrap" gap="md">
        <Select
          label={t('studies.analysis.outcome')}
          data={outcomes.map((q) => ({ value: q.key, label: `${name(q.prompt, s.languages)}${q.primary ? ` (${t('studies.questions.primaryBadge')})` : ''}` }))}
          value={outcome}
          onChange={(v) => v && setOutcome(v)}
          allowDeselect={false}
          w={440}
          maw="100%"
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('studies.analysis.se')}
          data={seOptions}
          value={se}
          onChange={(v) => v && setSe(v as SeType)}
          allowDeselect={false}
          {...fitWidth(seOptions, 260)}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('studies.analysis.adjust')}
          data={adjustOptions}
          value={adjust}
          onChange={(v) => v && setAdjust(v as Adjustment)}
          allowDeselect={false}
          {...fitWidth(adjustOptions, 260)}
          comboboxProps={{ withinPortal: true }}
        />
        {analysis.isFetching && <Loader size="xs" role="status" aria-label={t('studies.analysis.refreshing')} />}
      </Group>
      <ErrorAlert error={analysis.error} />
      {analysis.isPending && <Loader role="status" aria-label={t('common.loading')} />}
      {a && <AnalysisBody study={s} analysis={a} />}
      <PredictionsSection study={s} analysis={a} />
    </Stack>
  );
}

function AnalysisBody({ study: s, analysis: a }: { study: Study; analysis: Analysis }) {
  const { t } = useTranslation();
  const f = useNumbers();
  const name = useLocalized();
  const shortName = useArmName(s, true);
  const domain = sharedDomain(a);
  const counted = a.populations.reduce((sum, p) => sum + p.control.n + p.arms.reduce((x, arm) => x + arm.n, 0), 0);
  const shrinkage = a.populations.some((p) => p.arms.some((arm) => arm.shrunk && arm.shrunk.estimate !== arm.estimate));

  return (
    <>
      <Text size="sm" data-testid="analysis-basis">
        {t('studies.analysis.basis', { n: f.int(counted), se: t(`studies.analysis.seTypes.${a.se}`), adjustment: t(`studies.analysis.adjustments.${a.adjustment}`) })}{' '}
        {a.attention.excluded
          ? t('studies.analysis.attentionExcluded', { passed: f.int(a.attention.passed), failed: f.int(a.attention.failed) })
          : t('studies.analysis.attentionNone')}
      </Text>
      {counted === 0 && <Alert color="gray">{t('studies.analysis.noData')}</Alert>}

      <VerdictsSection study={s} analysis={a} />

      <Section title={t('studies.analysis.plots')} hint={t('studies.analysis.plotsHint')} id="plots-title">
        <PlotLegend shrinkage={shrinkage} />
        <SimpleGrid cols={{ base: 1, md: Math.min(3, Math.max(1, a.populations.length)) }} spacing="xl">
          {a.populations.map((p) => (
            <Stack key={p.populationId} gap={4} data-testid="population-plot">
              <Title order={3} fz="h5">
                <bdi>{name(p.name)}</bdi>
              </Title>
              <Text size="sm" c="dimmed" data-testid="control-mean">
                {t('studies.analysis.controlMean', { mean: f.dec(p.control.mean), n: f.int(p.control.n) })}
              </Text>
              <CoefficientPlot
                population={p}
                domain={domain}
                label={shortName}
                id={`plot-${p.key}`}
                summary={t('studies.analysis.plotSummary', { population: name(p.name), n: f.int(p.arms.length) })}
              />
            </Stack>
          ))}
        </SimpleGrid>
      </Section>

      <Section title={t('studies.analysis.figures')} hint={t('studies.analysis.figuresHint')} id="figures-title">
        {a.populations.map((p) => (
          <FiguresTable key={p.populationId} study={s} population={p} />
        ))}
      </Section>

      {a.differences.length > 0 && <DifferencesSection study={s} analysis={a} />}
    </>
  );
}

/** The verdict per message, the rule as the code applies it, and the same rule explained in the reader's language. */
function VerdictsSection({ study: s, analysis: a }: { study: Study; analysis: Analysis }) {
  const { t } = useTranslation();
  const f = useNumbers();
  const name = useLocalized();
  const armName = useArmName(s);
  const messages = s.arms.filter((x) => !x.control);
  return (
    <Section title={t('studies.analysis.verdicts')} id="verdicts-title">
      <ScrollTable label={t('studies.analysis.verdicts')} minWidth={720}>
        <Table verticalSpacing="sm" withTableBorder data-testid="verdicts-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('studies.figures.arm')}</Table.Th>
              <Table.Th scope="col">{t('studies.analysis.verdict')}</Table.Th>
              {a.populations.map((p) => (
                <Table.Th key={p.populationId} scope="col" ta="end">
                  <bdi>{name(p.name)}</bdi>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {messages.map((m) => {
              const v = a.verdicts.find((x) => x.armId === m.id)?.verdict;
              const text = name(m.text, s.languages);
              return (
                <Table.Tr key={m.id} data-testid="verdict-row">
                  <Table.Th scope="row" fw={500} maw={360}>
                    <Text fw={600} size="sm">
                      {armName(m.id)}
                    </Text>
                    {text && (
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        <Typed text={text} />
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>{v ? <VerdictBadge verdict={v} /> : '—'}</Table.Td>
                  {a.populations.map((p) => {
                    const arm = p.arms.find((x) => x.armId === m.id);
                    return (
                      <Table.Td key={p.populationId} ta="end" className={classes.figure}>
                        {arm ? (
                          <>
                            {f.signed(arm.estimate)}
                            <Text span size="xs" c="dimmed">
                              {' '}
                              {t('studies.analysis.holmShort', { p: f.p(arm.pHolm) })}
                            </Text>
                          </>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <Stack gap={4}>
        <Title order={3} fz="h6">
          {t('studies.analysis.ruleTitle')}
        </Title>
        <List size="sm" spacing={2} data-testid="verdict-explanation">
          {VERDICTS.map((v) => (
            <List.Item key={v}>
              <Text span fw={600} size="sm">
                {t(`studies.verdicts.${v}`)}
              </Text>
              {t('studies.list.colon')}
              {t(`studies.verdictRules.${v}`)}
            </List.Item>
          ))}
        </List>
        <Text size="sm">{t('studies.verdictRules.significance')}</Text>
        <details>
          <summary>
            <Text span size="sm" c="blue.8" style={{ cursor: 'pointer' }}>
              {t('studies.analysis.ruleAsCode')}
            </Text>
          </summary>
          <pre className={classes.rule} lang="en" dir="ltr" data-testid="verdict-rule">
            {a.verdictRule}
          </pre>
        </details>
      </Stack>
    </Section>
  );
}

/** The plot's table alternative: every figure of one population. */
function FiguresTable({ study: s, population: p }: { study: Study; population: PopulationEffects }) {
  const { t } = useTranslation();
  const f = useNumbers();
  const name = useLocalized();
  const armName = useArmName(s);
  const ci = (lo: number | null, hi: number | null) => (lo === null || hi === null ? '—' : t('studies.analysis.interval', { low: f.signed(lo), high: f.signed(hi) }));
  return (
    <ScrollTable label={t('studies.analysis.figuresFor', { population: name(p.name) })} minWidth={900}>
      <Table withTableBorder verticalSpacing={6} data-testid="figures-table">
        <caption className={classes.caption}>
          {t('studies.analysis.figuresFor', { population: name(p.name) })}
          {' — '}
          {t('studies.analysis.controlMean', { mean: f.dec(p.control.mean), n: f.int(p.control.n) })}
          {p.missing > 0 ? ` ${t('studies.analysis.missing', { n: f.int(p.missing) })}` : ''}
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('studies.figures.arm')}</Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.figures.n')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.analysis.mean')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.analysis.estimate')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.analysis.seShort')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.analysis.ci')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.analysis.p')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.analysis.pHolm')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.analysis.pBH')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.analysis.shrunk')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row" fw={500}>
              {t('studies.arms.control')}
            </Table.Th>
            <Table.Td ta="end" className={classes.figure}>
              {f.int(p.control.n)}
            </Table.Td>
            <Table.Td ta="end" className={classes.figure}>
              {f.dec(p.control.mean)}
            </Table.Td>
            <Table.Td colSpan={7} c="dimmed">
              {t('studies.analysis.reference')}
            </Table.Td>
          </Table.Tr>
          {p.arms.map((arm) => (
            <Table.Tr key={arm.armId} data-testid="figures-row">
              <Table.Th scope="row" fw={500}>
                {armName(arm.armId)}
              </Table.Th>
              <Table.Td ta="end" className={classes.figure}>
                {f.int(arm.n)}
              </Table.Td>
              <Table.Td ta="end" className={classes.figure}>
                {f.dec(arm.mean)}
              </Table.Td>
              <Table.Td ta="end" className={classes.figure} fw={600}>
                {f.signed(arm.estimate)}
              </Table.Td>
              <Table.Td ta="end" className={classes.figure}>
                {f.dec(arm.se, 3)}
              </Table.Td>
              <Table.Td ta="end" className={classes.figure}>
                {ci(arm.ciLow, arm.ciHigh)}
              </Table.Td>
              <Table.Td ta="end" className={classes.figure}>
                {f.p(arm.p)}
              </Table.Td>
              <Table.Td ta="end" className={classes.figure}>
                {f.p(arm.pHolm)}
              </Table.Td>
              <Table.Td ta="end" className={classes.figure}>
                {f.p(arm.pBH)}
              </Table.Td>
              <Table.Td ta="end" className={classes.figure}>
                {f.signed(arm.shrunk.estimate)}{' '}
                <Text span size="xs" c="dimmed">
                  ({ci(arm.shrunk.ciLow, arm.shrunk.ciHigh)})
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function DifferencesSection({ study: s, analysis: a }: { study: Study; analysis: Analysis }) {
  const { t } = useTranslation();
  const f = useNumbers();
  const name = useLocalized();
  const armName = useArmName(s);
  const popName = (idOrKey: string) => {
    const p = a.populations.find((x) => x.populationId === idOrKey || x.key === idOrKey) ?? s.populations.find((x) => x.id === idOrKey || x.key === idOrKey);
    return p ? name(p.name) : idOrKey;
  };
  return (
    <Section title={t('studies.analysis.differences')} hint={t('studies.analysis.differencesHint')} id="differences-title">
      <ScrollTable label={t('studies.analysis.differences')} minWidth={720}>
        <Table withTableBorder verticalSpacing={6} data-testid="differences-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('studies.figures.arm')}</Table.Th>
              <Table.Th scope="col">{t('studies.analysis.comparison')}</Table.Th>
              <Table.Th scope="col" ta="end">
                {t('studies.analysis.difference')}
              </Table.Th>
              <Table.Th scope="col" ta="end">
                {t('studies.analysis.seShort')}
              </Table.Th>
              <Table.Th scope="col" ta="end">
                {t('studies.analysis.ci')}
              </Table.Th>
              <Table.Th scope="col" ta="end">
                {t('studies.analysis.p')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {a.differences.map((d, i) => (
              <Table.Tr key={`${d.armId}-${i}`}>
                <Table.Th scope="row" fw={500}>
                  {armName(d.armId)}
                </Table.Th>
                <Table.Td>{t('studies.analysis.minus', { a: popName(d.populations[0]), b: popName(d.populations[1]) })}</Table.Td>
                <Table.Td ta="end" className={classes.figure} fw={600}>
                  {f.signed(d.estimate)}
                </Table.Td>
                <Table.Td ta="end" className={classes.figure}>
                  {f.dec(d.se, 3)}
                </Table.Td>
                <Table.Td ta="end" className={classes.figure}>
                  {d.ciLow === null || d.ciHigh === null ? '—' : t('studies.analysis.interval', { low: f.signed(d.ciLow), high: f.signed(d.ciHigh) })}
                </Table.Td>
                <Table.Td ta="end" className={classes.figure}>
                  {f.p(d.p)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Section>
  );
}

/** The model's predicted ranking, always apart from the measured results, with how well it did once they exist. */
function PredictionsSection({ study: s, analysis: a }: { study: Study; analysis: Analysis | undefined }) {
  const { t } = useTranslation();
  const f = useNumbers();
  const name = useLocalized();
  const armName = useArmName(s);
  const { canWrite, me } = useMe();
  const queryClient = useQueryClient();
  const predict = useMutation({
    mutationFn: () => studiesApi.predict(s.id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['studies', s.id, 'analysis'] }),
  });
  const predictions = a?.predictions ?? [];
  const accuracy = a?.predictionAccuracy ? (Array.isArray(a.predictionAccuracy) ? a.predictionAccuracy : [a.predictionAccuracy]) : [];
  // said before the click, not after it: without a provider the button is disabled and the reason shown
  const noProvider = me?.aiConfigured === false || (predict.error instanceof ApiError && predict.error.code === 'ai_not_configured');
  const popName = (id: string | null) => (id ? name(s.populations.find((p) => p.id === id)?.name) : t('studies.analysis.allPopulations'));
  const groups = [...new Set(predictions.map((p) => p.populationId))];

  return (
    <Section title={t('studies.predictions.title')} hint={t('studies.predictions.hint')} id="predictions-title" dashed>
      {canWrite && (
        <Group>
          <Button variant="light" leftSection={<IconSparkles size={16} aria-hidden />} onClick={() => predict.mutate()} loading={predict.isPending} disabled={noProvider}>
            {predictions.length ? t('studies.predictions.again') : t('studies.predictions.run')}
          </Button>
        </Group>
      )}
      {noProvider ? (
        <Alert color="gray" title={t('studies.ai.noProviderTitle')}>
          {t('studies.predictions.noProvider')}
        </Alert>
      ) : (
        <ErrorAlert error={predict.error} />
      )}
      {predictions.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('studies.predictions.none')}
        </Text>
      ) : (
        groups.map((g) => {
          const rows = predictions.filter((p) => p.populationId === g).sort((x, y) => y.score - x.score);
          const acc = accuracy.find((x) => x.populationId === g);
          return (
            <Stack key={g ?? 'all'} gap={4}>
              <Title order={3} fz="h6">
                <bdi>{popName(g)}</bdi>
              </Title>
              <ScrollTable label={t('studies.predictions.tableFor', { population: popName(g) })} minWidth={640}>
                <Table withTableBorder verticalSpacing={4} data-testid="predictions-table">
                  <caption className={classes.caption}>{t('studies.predictions.caption', { model: rows[0]?.model ?? '' })}</caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col" ta="end">
                        {t('studies.predictions.rank')}
                      </Table.Th>
                      <Table.Th scope="col">{t('studies.figures.arm')}</Table.Th>
                      <Table.Th scope="col" ta="end">
                        {t('studies.predictions.score')}
                      </Table.Th>
                      <Table.Th scope="col">{t('studies.predictions.rationale')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((r, i) => (
                      <Table.Tr key={r.armId}>
                        <Table.Td ta="end">{f.int(i + 1)}</Table.Td>
                        <Table.Th scope="row" fw={500}>
                          {armName(r.armId)}
                        </Table.Th>
                        <Table.Td ta="end" className={classes.figure}>
                          {f.dec(r.score)}
                        </Table.Td>
                        <Table.Td>{r.rationale ? <Typed text={r.rationale} size="sm" /> : '—'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
              <Text size="sm" data-testid="prediction-accuracy">
                {acc && acc.spearman !== null ? t('studies.predictions.accuracy', { rho: f.dec(acc.spearman) }) : t('studies.predictions.noAccuracy')}
              </Text>
            </Stack>
          );
        })
      )}
    </Section>
  );
}

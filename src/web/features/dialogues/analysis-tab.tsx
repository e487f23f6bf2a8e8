import { Badge, Group, Loader, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowsSort, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDateTimeLong, formatNumber } from '../../format.ts';
import { groupColour, OpinionMap, RateBar, segmentColourAt, segmentShape, ShapeIcon, useRateWords } from './charts.tsx';
import { dialogueKeys, dialoguesApi, type Dialogue, type DialogueAnalysis, type StatementAnalysis, type Tally } from './dialogues.api.ts';
import { PolisComparisonSection } from './polis-comparison.tsx';
import { PollResults } from './poll-results.tsx';
import classes from './dialogues.module.css';
import { Figure, formatDecimal, formatPercent, pickText, StatementText, useMe } from './dialogues-ui.tsx';

/** The live analysis: refreshed every 3 seconds while any session is open. */
export function AnalysisTab({ dialogue: d }: { dialogue: Dialogue }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const questions = d.sessions.flatMap((s) => s.questions);
  const openQuestions = questions.filter((q) => q.kind === 'open');
  const polls = questions.filter((q) => q.kind === 'poll');
  const [questionId, setQuestionId] = useState<string | null>(null);
  const live = d.sessions.some((s) => s.isOpen);
  const analysis = useQuery({
    queryKey: dialogueKeys.analysis(d.id, questionId ?? undefined),
    queryFn: () => dialoguesApi.analysis(d.id, questionId ?? undefined),
    refetchInterval: live ? 3000 : false,
    refetchIntervalInBackground: false,
  });
  const a = analysis.data;
  const n = (v: number) => formatNumber(v, i18n.language);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Select
          label={t('dialogues.analysis.question')}
          data={openQuestions.map((q) => ({ value: q.id, label: pickText(q.prompt, i18n.language, d.languages).text }))}
          value={questionId}
          onChange={setQuestionId}
          clearable
          placeholder={t('dialogues.analysis.allQuestions')}
          w={380}
          comboboxProps={{ withinPortal: true }}
        />
        <Group gap="xs">
          {live && (
            <Badge color="teal" variant="dot">
              {t('dialogues.analysis.live')}
            </Badge>
          )}
          {analysis.isFetching && <Loader size="xs" role="status" aria-label={t('dialogues.analysis.refreshing')} />}
          {a && (
            <Text size="sm" c="dimmed" role="status" data-testid="computed-at">
              {t('dialogues.analysis.computedAt', { time: formatDateTimeLong(a.computedAt, i18n.language, timeZone) })}
            </Text>
          )}
        </Group>
      </Group>
      {/* a failed refresh keeps the last figures on screen */}
      <ErrorAlert error={analysis.error} />
      {analysis.isPending && <Loader role="status" aria-label={t('common.loading')} />}

      {a && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} role="group" aria-label={t('dialogues.analysis.headline')}>
            <Figure label={t('dialogues.analysis.voters')} value={n(a.voters)} testId="fig-voters" />
            <Figure label={t('dialogues.figures.votes')} value={n(a.votes)} testId="fig-votes" />
            <Figure label={t('dialogues.figures.statements')} value={n(a.statements.length)} testId="fig-statements" />
            <Figure label={t('dialogues.analysis.groups')} value={n(a.groups.length)} testId="fig-groups" />
            <Figure label={t('dialogues.analysis.bridgingCount')} value={n(a.bridging.length)} testId="fig-bridging" />
            <Figure label={t('dialogues.analysis.clustered')} value={n(a.clustered)} />
          </SimpleGrid>
          {a.voters === 0 && <Text c="dimmed">{t('dialogues.analysis.noVotesYet')}</Text>}

          <FlaggedSection analysis={a} kind="bridging" />
          <FlaggedSection analysis={a} kind="divisive" />

          <Paper withBorder p="md" component="section" aria-labelledby="map-title">
            <Stack gap="sm">
              <Title order={2} fz="h4" id="map-title">
                {t('dialogues.analysis.map')}
              </Title>
              <Text size="sm" c="dimmed" maw={820}>
                {t('dialogues.analysis.mapHint')}
              </Text>
              {a.map.length > 0 ? <OpinionMap analysis={a} /> : <Text c="dimmed">{t('dialogues.analysis.noGroups')}</Text>}
              {a.silhouette.length > 0 && (
                <Text size="xs" c="dimmed">
                  {t('dialogues.analysis.silhouette', {
                    values: a.silhouette.map((s) => `${n(s.k)}: ${formatDecimal(s.value, i18n.language)}`).join(' · '),
                  })}
                </Text>
              )}
            </Stack>
          </Paper>

          <GroupsSection analysis={a} />
          <PolisComparisonSection analysis={a} />
          <StatementTable analysis={a} />
        </>
      )}

      {polls.length > 0 && (
        <Paper withBorder p="md" component="section" aria-labelledby="polls-title">
          <Stack gap="md">
            <Title order={2} fz="h4" id="polls-title">
              {t('dialogues.analysis.polls')}
            </Title>
            {polls.map((q) => (
              <PollResults key={q.id} dialogue={d} question={q} live={live} />
            ))}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

function useSegmentLabel(a: DialogueAnalysis) {
  const { t, i18n } = useTranslation();
  return (id: string | null) => (id ? pickText(a.segments.find((s) => s.id === id)?.name, i18n.language).text || t('dialogues.segment.unknown') : t('dialogues.segment.none'));
}

/** Bridging or divisive statements, each with the figures behind the flag. */
function FlaggedSection({ analysis: a, kind }: { analysis: DialogueAnalysis; kind: 'bridging' | 'divisive' }) {
  const { t } = useTranslation();
  const ids = kind === 'bridging' ? a.bridging : a.divisive;
  const byId = new Map(a.statements.map((s) => [s.id, s]));
  const shown = ids.map((id) => byId.get(id)).filter((s): s is StatementAnalysis => !!s).slice(0, 10);
  const titleId = `${kind}-title`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId} data-testid={`${kind}-section`}>
      <Stack gap="sm">
        <Title order={2} fz="h4" id={titleId}>
          {t(`dialogues.analysis.${kind}`)}
        </Title>
        <Text size="sm" c="dimmed" maw={820}>
          {t(`dialogues.analysis.${kind}Explained`)}
        </Text>
        <details>
          <summary className={classes.summary}>{t('dialogues.analysis.exactRule')}</summary>
          <Text size="sm" mt={4} dir="ltr" lang="en" ta="start">
            {kind === 'bridging' ? a.bridgingRule : a.divisiveRule}
          </Text>
        </details>
        {shown.length === 0 && <Text c="dimmed">{t(`dialogues.analysis.${kind}None`)}</Text>}
        <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {shown.map((s) => (
            <li key={s.id}>
              <Paper withBorder p="sm" bg="gray.0" data-testid={`${kind}-statement`}>
                <Stack gap="xs">
                  <StatementText body={s.body} language={s.language} translations={s.translations} fw={600} />
                  <StatementFigures analysis={a} statement={s} />
                </Stack>
              </Paper>
            </li>
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}

/** Per segment and per opinion group: the agree rate with its 95% interval; then both consensus figures. */
function StatementFigures({ analysis: a, statement: s }: { analysis: DialogueAnalysis; statement: StatementAnalysis }) {
  const { t, i18n } = useTranslation();
  const words = useRateWords();
  const segLabel = useSegmentLabel(a);
  const n = (v: number) => formatNumber(v, i18n.language);
  const row = (key: string, label: ReactNode, tally: Tally, colour?: string) => (
    <Table.Tr key={key}>
      <Table.Th scope="row" fw={500}>
        {label}
      </Table.Th>
      <Table.Td>
        <RateBar rate={tally.agreeRate} low={tally.agreeLow} high={tally.agreeHigh} colour={colour} label={words('agree', tally.agreeRate, tally.agreeLow, tally.agreeHigh, tally.votes)} />
      </Table.Td>
      <Table.Td className={classes.figureCell}>
        {formatPercent(tally.agreeRate, i18n.language)}{' '}
        <Text span size="xs" c="dimmed">
          ({formatPercent(tally.agreeLow, i18n.language)}–{formatPercent(tally.agreeHigh, i18n.language)})
        </Text>
      </Table.Td>
      <Table.Td className={classes.figureCell}>{formatPercent(tally.disagreeRate, i18n.language)}</Table.Td>
      <Table.Td className={classes.figureCell} ta="end">
        {n(tally.votes)}
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Stack gap={6}>
      <ScrollTable label={t('dialogues.analysis.figuresOf')} minWidth={560}>
        <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm" data-testid="segment-bars">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dialogues.analysis.who')}</Table.Th>
              <Table.Th scope="col">{t('dialogues.analysis.agreeBar')}</Table.Th>
              <Table.Th scope="col">{t('dialogues.analysis.agreeInterval')}</Table.Th>
              <Table.Th scope="col">{t('dialogues.analysis.disagree')}</Table.Th>
              <Table.Th scope="col" ta="end">
                {t('dialogues.figures.votes')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.bySegment.map((b) =>
              row(
                `s-${b.segmentId}`,
                <Group gap={6} wrap="nowrap">
                  <ShapeIcon shape={segmentShape(a, b.segmentId)} />
                  <bdi>{segLabel(b.segmentId)}</bdi>
                </Group>,
                b,
              ),
            )}
            {s.byGroup.map((g) =>
              row(
                `g-${g.groupId}`,
                <Group gap={6} wrap="nowrap">
                  <span className={classes.swatch} style={{ background: groupColour(g.groupId) }} aria-hidden />
                  {t('dialogues.analysis.groupN', { n: n(g.groupId + 1) })}
                </Group>,
                g,
                groupColour(g.groupId),
              ),
            )}
            {row('all', t('dialogues.analysis.everyone'), s.overall, 'var(--mantine-color-dark-4)')}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <Text size="sm">
        {t('dialogues.analysis.consensusLine', {
          group: formatDecimal(s.groupConsensus, i18n.language, 3),
          segment: formatDecimal(s.segmentConsensus, i18n.language, 3),
          spread: formatPercent(s.divisiveness, i18n.language),
        })}
      </Text>
    </Stack>
  );
}

function GroupsSection({ analysis: a }: { analysis: DialogueAnalysis }) {
  const { t, i18n } = useTranslation();
  const segLabel = useSegmentLabel(a);
  const byId = new Map(a.statements.map((s) => [s.id, s]));
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="groups-title">
      <Stack gap="sm">
        <Title order={2} fz="h4" id="groups-title">
          {t('dialogues.analysis.groupsTitle')}
        </Title>
        <Text size="sm" c="dimmed" maw={820}>
          {t('dialogues.analysis.groupsHint')}
        </Text>
        {a.groupsHeldBack ? (
          <Text c="dimmed" data-testid="groups-held-back" maw={820}>
            {t(`dialogues.analysis.groupsHeldBack.${a.groupsHeldBack}`, {
              count: a.groupsShownFrom.minClustered,
              min: n(a.groupsShownFrom.minClustered),
              clustered: n(a.clustered),
              size: n(a.groupsShownFrom.minGroupSize),
            })}
          </Text>
        ) : (
          a.groups.length === 0 && <Text c="dimmed">{t('dialogues.analysis.noGroups')}</Text>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {a.groups.map((g) => (
            <Paper key={g.id} withBorder p="sm" component="article" aria-labelledby={`group-${g.id}`} data-testid="opinion-group" style={{ borderInlineStart: `6px solid ${groupColour(g.id)}` }}>
              <Stack gap="xs">
                <Group justify="space-between">
                  <Title order={3} fz="h5" id={`group-${g.id}`}>
                    {t('dialogues.analysis.groupN', { n: n(g.id + 1) })}
                  </Title>
                  <Text size="sm">{t('dialogues.analysis.participantsN', { count: g.participants, n: n(g.participants) })}</Text>
                </Group>
                <div className={classes.stack} aria-hidden>
                  {inSegmentOrder(a, g.bySegment).map((b) => (
                    <span
                      key={b.segmentId ?? 'none'}
                      data-segment={b.segmentId ?? 'none'}
                      style={{ inlineSize: `${(b.participants / Math.max(1, g.participants)) * 100}%`, background: segmentColourAt(segmentIndex(a, b.segmentId)) }}
                    />
                  ))}
                </div>
                <Group gap={4} component="p" m={0} fz="sm" data-testid="group-make-up">
                  {inSegmentOrder(a, g.bySegment).map((b, i) => (
                    <Group key={b.segmentId ?? 'none'} gap={4} wrap="nowrap" component="span">
                      {i > 0 && <span aria-hidden>·</span>}
                      <ShapeIcon shape={segmentShape(a, b.segmentId)} colour={segmentColourAt(segmentIndex(a, b.segmentId))} />
                      <bdi>{segLabel(b.segmentId)}</bdi> {n(b.participants)} ({formatPercent(b.participants / Math.max(1, g.participants), i18n.language)})
                    </Group>
                  ))}
                </Group>
                <Text size="sm" fw={600}>
                  {t('dialogues.analysis.representative')}
                </Text>
                <Stack gap={6} component="ul" style={{ paddingInlineStart: 18, margin: 0 }}>
                  {g.representative.slice(0, 5).map((r) => {
                    const s = byId.get(r.statementId);
                    if (!s) return null;
                    return (
                      <li key={r.statementId}>
                        <StatementText body={s.body} language={s.language} translations={s.translations} />
                        <Text size="xs" c={r.direction === 'agree' ? 'teal.9' : 'red.9'}>
                          {t(r.direction === 'agree' ? 'dialogues.analysis.repAgree' : 'dialogues.analysis.repDisagree', {
                            rate: formatPercent(r.rate, i18n.language),
                            ratio: formatDecimal(r.ratio, i18n.language, 1),
                          })}
                        </Text>
                      </li>
                    );
                  })}
                </Stack>
              </Stack>
            </Paper>
          ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

type SortKey = 'agree' | 'groupConsensus' | 'segmentConsensus' | 'votes' | `seg:${string}`;

/** Every statement: agree / disagree / pass per segment; sortable by any figure. */
function StatementTable({ analysis: a }: { analysis: DialogueAnalysis }) {
  const { t, i18n } = useTranslation();
  const segLabel = useSegmentLabel(a);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'groupConsensus', desc: true });
  const value = (s: StatementAnalysis, k: SortKey): number => {
    if (k === 'agree') return s.overall.agreeRate ?? -1;
    if (k === 'votes') return s.overall.votes;
    if (k === 'groupConsensus') return s.groupConsensus ?? -1;
    if (k === 'segmentConsensus') return s.segmentConsensus ?? -1;
    return s.bySegment.find((b) => b.segmentId === k.slice(4))?.agreeRate ?? -1;
  };
  const rows = useMemo(() => [...a.statements].sort((x, y) => (sort.desc ? value(y, sort.key) - value(x, sort.key) : value(x, sort.key) - value(y, sort.key))), [a, sort]);
  const n = (v: number) => formatNumber(v, i18n.language);
  const pct = (v: number | null) => formatPercent(v, i18n.language);
  const header = (k: SortKey, label: ReactNode) => {
    const active = sort.key === k;
    const Icon = !active ? IconArrowsSort : sort.desc ? IconSortDescending : IconSortAscending;
    return (
      <Table.Th key={k} scope="col" aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : undefined} ta="end">
        <button type="button" className={classes.sortButton} onClick={() => setSort({ key: k, desc: active ? !sort.desc : true })}>
          {label}
          <Icon size={14} aria-hidden />
        </button>
      </Table.Th>
    );
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="table-title">
      <Stack gap="sm">
        <Title order={2} fz="h4" id="table-title">
          {t('dialogues.analysis.allStatements')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('dialogues.analysis.tableHint')}
        </Text>
        <ScrollTable label={t('dialogues.analysis.allStatements')} minWidth={760 + a.segments.length * 150}>
          <Table verticalSpacing="xs" striped fz="sm" data-testid="statement-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('dialogues.analysis.statement')}</Table.Th>
                {header('votes', t('dialogues.figures.votes'))}
                {header('agree', t('dialogues.analysis.agreeAll'))}
                {a.segments.map((s) => header(`seg:${s.id}`, <bdi>{segLabel(s.id)}</bdi>))}
                {header('groupConsensus', t('dialogues.analysis.groupConsensus'))}
                {header('segmentConsensus', t('dialogues.analysis.segmentConsensus'))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td maw={360}>
                    <StatementText body={s.body} language={s.language} translations={s.translations} />
                    <Group gap={4} mt={2}>
                      {s.bridging && (
                        <Badge size="xs" color="teal" variant="light">
                          {t('dialogues.analysis.bridgingBadge')}
                        </Badge>
                      )}
                      {s.divisive && (
                        <Badge size="xs" color="orange" variant="light">
                          {t('dialogues.analysis.divisiveBadge')}
                        </Badge>
                      )}
                      {s.status === 'pending' && (
                        <Badge size="xs" color="gray" variant="light">
                          {t('dialogues.statuses.pending')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="end" className={classes.figureCell}>
                    {n(s.overall.votes)}
                  </Table.Td>
                  <Table.Td ta="end" className={classes.figureCell}>
                    {t('dialogues.analysis.adp', { agree: pct(s.overall.agreeRate), disagree: pct(s.overall.disagreeRate), pass: pct(s.overall.passRate) })}
                  </Table.Td>
                  {a.segments.map((seg) => {
                    const b = s.bySegment.find((x) => x.segmentId === seg.id);
                    return (
                      <Table.Td key={seg.id} ta="end" className={classes.figureCell}>
                        {b ? t('dialogues.analysis.adp', { agree: pct(b.agreeRate), disagree: pct(b.disagreeRate), pass: pct(b.passRate) }) : '—'}
                      </Table.Td>
                    );
                  })}
                  <Table.Td ta="end" className={classes.figureCell}>
                    {formatDecimal(s.groupConsensus, i18n.language, 3)}
                  </Table.Td>
                  <Table.Td ta="end" className={classes.figureCell}>
                    {formatDecimal(s.segmentConsensus, i18n.language, 3)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      </Stack>
    </Paper>
  );
}

/** A segment's position among the analysis' segments (-1: no segment), which fixes its colour and shape everywhere. */
function segmentIndex(a: DialogueAnalysis, segmentId: string | null): number {
  return segmentId === null ? -1 : a.segments.findIndex((s) => s.id === segmentId);
}

/** A group's make-up in the segments' own order (not the order its members happened to join). */
function inSegmentOrder<T extends { segmentId: string | null }>(a: DialogueAnalysis, parts: readonly T[]): T[] {
  const at = (id: string | null) => (id === null ? Number.MAX_SAFE_INTEGER : segmentIndex(a, id));
  return [...parts].sort((x, y) => at(x.segmentId) - at(y.segmentId));
}

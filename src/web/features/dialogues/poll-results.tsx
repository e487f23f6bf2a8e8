import { Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { formatNumber } from '../../format.ts';
import { RateBar } from './charts.tsx';
import { dialogueKeys, dialoguesApi, type Dialogue, type Question } from './dialogues.api.ts';
import classes from './dialogues.module.css';
import { formatDecimal, formatPercent, pickText, Typed, useSegmentName } from './dialogues-ui.tsx';

/** A poll's answers for everyone and for each segment: each option's share with its 95% interval, or a scale's mean. */
export function PollResults({ dialogue: d, question: q, live }: { dialogue: Dialogue; question: Question; live: boolean }) {
  const { t, i18n } = useTranslation();
  const nameOf = useSegmentName(d.segments);
  const result = useQuery({
    queryKey: dialogueKeys.poll(d.id, q.id),
    queryFn: () => dialoguesApi.pollResults(q.id),
    refetchInterval: live ? 3000 : false,
  });
  const prompt = pickText(q.prompt, i18n.language, d.languages);
  const n = (v: number) => formatNumber(v, i18n.language);
  const pct = (v: number | null) => formatPercent(v, i18n.language);
  const optionLabel = (id: string) => {
    const o = q.options.find((x) => x.id === id);
    return o ? pickText(o.label, i18n.language, d.languages).text : id;
  };
  const r = result.data;
  return (
    <Stack gap="xs" data-testid="poll-results">
      <Text fw={600}>
        <Typed text={prompt.text} language={prompt.language} />
      </Text>
      <ErrorAlert error={result.error} />
      {r && (
        <SimpleGrid cols={{ base: 1, md: Math.min(3, r.groups.length) }}>
          {r.groups.map((g) => (
            <Stack key={g.segmentId ?? 'all'} gap={4}>
              <Text size="sm" fw={600}>
                <bdi>{g.segmentId ? nameOf(g.segmentId) : t('dialogues.analysis.everyone')}</bdi>{' '}
                <Text span size="xs" c="dimmed" fw={400}>
                  {t('dialogues.polls.respondents', { n: n(g.respondents) })}
                </Text>
              </Text>
              {r.pollMode === 'scale' ? (
                <Group gap="xs">
                  <RateBar
                    rate={g.mean === null ? null : scaled(g.mean, q)}
                    low={g.meanLow === null ? null : scaled(g.meanLow, q)}
                    high={g.meanHigh === null ? null : scaled(g.meanHigh, q)}
                    label={t('dialogues.polls.meanWords', { mean: formatDecimal(g.mean, i18n.language, 1), low: formatDecimal(g.meanLow, i18n.language, 1), high: formatDecimal(g.meanHigh, i18n.language, 1), max: n(q.scaleMax ?? 5) })}
                  />
                  <Text size="sm" className={classes.figureCell}>
                    {t('dialogues.polls.mean', { mean: formatDecimal(g.mean, i18n.language, 1), max: n(q.scaleMax ?? 5) })}
                  </Text>
                </Group>
              ) : (
                <Table fz="sm" verticalSpacing={2} horizontalSpacing={4}>
                  <Table.Tbody>
                    {g.options.map((o) => (
                      <Table.Tr key={o.id}>
                        <Table.Th scope="row" fw={400}>
                          <Typed text={optionLabel(o.id)} />
                        </Table.Th>
                        <Table.Td>
                          <RateBar rate={o.rate} low={o.low} high={o.high} width={110} label={t('dialogues.polls.optionWords', { rate: pct(o.rate), low: pct(o.low), high: pct(o.high), count: n(o.count) })} />
                        </Table.Td>
                        <Table.Td className={classes.figureCell} ta="end">
                          {pct(o.rate)} ({n(o.count)})
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

/** A point on the scale as a share of the way from its lowest to its highest point. */
function scaled(v: number, q: Question): number {
  const min = q.scaleMin ?? 1;
  const max = q.scaleMax ?? 5;
  return Math.max(0, Math.min(1, (v - min) / (max - min || 1)));
}

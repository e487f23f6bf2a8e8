import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatNumber } from '../../format.ts';
import { groupColour } from './charts.tsx';
import type { DialogueAnalysis } from './dialogues.api.ts';
import { formatDecimal } from './dialogues-ui.tsx';

/** The first moved participants shown; the rest are counted. */
const MOVED_SHOWN = 100;

/**
 * An imported Pol.is conversation: Pol.is's own groups beside Convene's (issue 11, item 3): the agreement between the two
 * (adjusted Rand index), where each Pol.is group's members are here, and who moved.
 */
export function PolisComparisonSection({ analysis: a }: { analysis: DialogueAnalysis }) {
  const { t, i18n } = useTranslation();
  const p = a.polis;
  if (!p) return null;
  const n = (v: number) => formatNumber(v, i18n.language);
  const polisName = (id: number) => t('dialogues.analysis.polis.polisGroup', { n: n(id + 1) });
  const oursName = (id: number) => t('dialogues.analysis.polis.groupHeader', { n: n(id + 1) });
  const counterpart = new Map(p.counterparts.map((c) => [c.groupId, c.polisGroup]));
  const sizeOf = (polisGroup: number) => p.polisGroups.find((g) => g.id === polisGroup)?.participants ?? 0;
  const shown = p.moved.slice(0, MOVED_SHOWN);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="polis-title" data-testid="polis-comparison">
      <Stack gap="sm">
        <Title order={2} fz="h4" id="polis-title">
          {t('dialogues.analysis.polis.title')}
        </Title>
        <Text size="sm" c="dimmed" maw={820}>
          {t('dialogues.analysis.polis.hint')}
        </Text>
        <Text fw={600} data-testid="polis-ari">
          {t('dialogues.analysis.polis.agreement', { ari: formatDecimal(p.ari, i18n.language, 3) })}
        </Text>
        <Text size="sm" c="dimmed" maw={820}>
          {t('dialogues.analysis.polis.polisClustered', { count: p.polisClustered, n: n(p.polisClustered) })} · {t('dialogues.analysis.polis.agreementHint')}
        </Text>
        <ScrollTable label={t('dialogues.analysis.polis.tableCaption')} minWidth={420}>
          <Table withTableBorder withColumnBorders data-testid="polis-crosstab">
            <Table.Caption>{t('dialogues.analysis.polis.tableCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" />
                {p.counterparts.map((c) => (
                  <Table.Th key={c.groupId} scope="col" style={{ borderBlockStart: `4px solid ${groupColour(c.groupId)}` }}>
                    <div>{oursName(c.groupId)}</div>
                    <Text size="xs" c="dimmed" fw={400}>
                      {c.polisGroup === null ? t('dialogues.analysis.polis.noCounterpart') : t('dialogues.analysis.polis.counterpartOf', { n: n(c.polisGroup + 1) })}
                    </Text>
                  </Table.Th>
                ))}
                <Table.Th scope="col">{t('dialogues.analysis.polis.leftOut')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.crossTab.map((row) => (
                <Table.Tr key={row.polisGroup}>
                  <Table.Th scope="row">
                    <div>{polisName(row.polisGroup)}</div>
                    <Text size="xs" c="dimmed" fw={400}>
                      {t('dialogues.analysis.participantsN', { count: sizeOf(row.polisGroup), n: n(sizeOf(row.polisGroup)) })}
                    </Text>
                  </Table.Th>
                  {row.byGroup.map((cell) => (
                    <Table.Td key={cell.groupId} fw={counterpart.get(cell.groupId) === row.polisGroup ? 700 : undefined}>
                      {n(cell.participants)}
                    </Table.Td>
                  ))}
                  <Table.Td>{n(row.leftOut)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
        {p.movedCount === 0 ? (
          <Text>{t('dialogues.analysis.polis.movedNone')}</Text>
        ) : (
          <details data-testid="polis-moved">
            <summary>{t('dialogues.analysis.polis.moved', { count: p.movedCount, n: n(p.movedCount) })}</summary>
            <Text size="sm" c="dimmed" maw={820} my="xs">
              {t('dialogues.analysis.polis.movedHint')}
            </Text>
            <Stack gap={2} component="ul" style={{ paddingInlineStart: 18, margin: 0 }}>
              {shown.map((m) => (
                <li key={m.sourceId}>
                  <Text size="sm" component="span">
                    {t('dialogues.analysis.polis.movedFromTo', {
                      id: t('dialogues.analysis.polis.movedRow', { id: m.sourceId }),
                      from: m.polisGroup === null ? t('dialogues.analysis.polis.notGroupedByPolis') : polisName(m.polisGroup),
                      to: m.groupId === null ? t('dialogues.analysis.polis.notGroupedHere') : oursName(m.groupId),
                    })}
                  </Text>
                </li>
              ))}
            </Stack>
            {p.movedCount > shown.length && (
              <Text size="sm" c="dimmed" mt="xs">
                {t('dialogues.analysis.polis.movedMore', { count: p.movedCount - shown.length, n: n(p.movedCount - shown.length) })}
              </Text>
            )}
          </details>
        )}
      </Stack>
    </Paper>
  );
}

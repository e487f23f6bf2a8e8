import { Group, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDay, formatDayShort, formatNumber } from '../../format.ts';
import { campaignKeys, campaignsApi, STANCE_VALUES, type CampaignAsk, type CampaignDetail, type CampaignTarget, type StanceValue } from './campaigns.api.ts';
import { askText, byGroup, MoveArrow, STANCE_COLOURS, StanceBadge } from './campaigns-ui.tsx';
import { CellDialog } from './cell-dialog.tsx';

/** Targets × asks: each cell's stance as colour and words, arrows for the moves since a chosen day, a cell opens its history. */
export function GridPanel({ campaign, canWrite }: { campaign: CampaignDetail; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const [since, setSince] = useState('');
  const validSince = /^\d{4}-\d{2}-\d{2}$/.test(since) ? since : undefined;
  const grid = useQuery({ queryKey: campaignKeys.grid(campaign.id, validSince), queryFn: () => campaignsApi.grid(campaign.id, validSince), placeholderData: (prev) => prev });
  const [open, setOpen] = useState<{ target: CampaignTarget; ask: CampaignAsk } | null>(null);
  const g = grid.data;
  const cells = new Map((g?.cells ?? []).map((s) => [`${s.targetId}:${s.askId}`, s]));
  const moves = new Map((g?.movement?.cells ?? []).map((m) => [`${m.targetId}:${m.askId}`, m]));
  const lang = i18n.language;
  return (
    <Panel id="campaign-grid" title={t('campaign.grid.title')}>
      <Stack gap="sm">
        <Text c="dimmed" size="sm">
          {t('campaign.grid.intro')}
        </Text>
        <Group align="flex-end" gap="md">
          <TextInput type="date" label={t('campaign.grid.since')} value={since} onChange={(e) => setSince(e.currentTarget.value)} data-testid="grid-since" />
          {g?.movement && (
            <Text fw={600} data-testid="grid-moves" aria-live="polite">
              {t('campaign.grid.moves', { count: g.movement.moves, day: formatDay(g.movement.since, lang) })}
            </Text>
          )}
        </Group>
        <ErrorAlert error={grid.error} />
        {g && (!g.asks.length || !g.targets.length) ? (
          <Text>{t('campaign.grid.empty')}</Text>
        ) : (
          g && (
            <ScrollTable label={t('campaign.grid.title')} minWidth={200 + 150 * g.asks.length}>
              <Table withColumnBorders verticalSpacing={6} data-testid="stance-grid">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('campaign.grid.target')}</Table.Th>
                    {g.asks.map((a) => {
                      const text = askText(a, lang);
                      return (
                        <Table.Th key={a.id} scope="col" style={{ minWidth: 150 }}>
                          <bdi lang={text.language}>{text.text}</bdi>
                        </Table.Th>
                      );
                    })}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {byGroup(g.targets).map(([group, targets]) => (
                    <Fragment key={group ?? ''}>
                      <Table.Tr>
                        <Table.Th scope="colgroup" colSpan={g.asks.length + 1} bg="var(--mantine-color-gray-1)">
                          {group ? <bdi>{group}</bdi> : t('campaign.grid.noGroup')}
                        </Table.Th>
                      </Table.Tr>
                      {targets.map((target) => (
                        <Table.Tr key={target.id} data-testid="grid-row">
                          <Table.Th scope="row" fw={500}>
                            <bdi>{target.name}</bdi>
                          </Table.Th>
                          {g.asks.map((a) => {
                            const key = `${target.id}:${a.id}`;
                            const cell = cells.get(key);
                            const value: StanceValue = cell?.value ?? 'unknown';
                            const move = moves.get(key);
                            const colour = STANCE_COLOURS[value];
                            return (
                              <Table.Td key={a.id} p={0} style={{ backgroundColor: colour.bg }}>
                                <UnstyledButton
                                  onClick={() => setOpen({ target, ask: a })}
                                  aria-label={
                                    cell
                                      ? t('campaign.grid.cellLabelDay', { target: target.name, ask: askText(a, lang).text, stance: t(`campaign.stance.${value}`), day: formatDayShort(cell.asOf, lang) })
                                      : t('campaign.grid.cellLabel', { target: target.name, ask: askText(a, lang).text, stance: t(`campaign.stance.${value}`) })
                                  }
                                  data-testid="grid-cell"
                                  data-stance={value}
                                  style={{ display: 'flex', width: '100%', padding: '6px 10px', color: colour.fg, gap: 6, alignItems: 'center', minHeight: 40 }}
                                >
                                  <span>
                                    {t(`campaign.stance.${value}`)}
                                    {/* the visible words are the start of the cell's name, as read: "Neutral 3 Dec" */}
                                    {cell && ' '}
                                    {cell && (
                                      <Text span display="block" size="xs" c={colour.fg} data-testid="grid-cell-day">
                                        {formatDayShort(cell.asOf, lang)}
                                      </Text>
                                    )}
                                  </span>
                                  {move && <MoveArrow from={move.from} to={move.to} />}
                                </UnstyledButton>
                              </Table.Td>
                            );
                          })}
                        </Table.Tr>
                      ))}
                    </Fragment>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  <Table.Tr>
                    <Table.Th scope="row">{t('campaign.grid.counts')}</Table.Th>
                    {g.asks.map((a) => (
                      <Table.Td key={a.id}>
                        <Stack gap={2}>
                          {STANCE_VALUES.map((v) => {
                            const n = g.counts.find((c) => c.askId === a.id && c.value === v)?.targets ?? 0;
                            return n ? (
                              <Group key={v} gap={4} wrap="nowrap">
                                <StanceBadge value={v} />
                                <Text size="sm">{formatNumber(n, lang)}</Text>
                              </Group>
                            ) : null;
                          })}
                        </Stack>
                      </Table.Td>
                    ))}
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
            </ScrollTable>
          )
        )}
      </Stack>
      {open && <CellDialog campaign={campaign} target={open.target} ask={open.ask} canWrite={canWrite} onClose={() => setOpen(null)} />}
    </Panel>
  );
}

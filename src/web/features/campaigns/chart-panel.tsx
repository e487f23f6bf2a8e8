import { Group, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatNumber, intlLocale } from '../../format.ts';
import { campaignKeys, campaignsApi, STANCE_VALUES, type CampaignDetail } from './campaigns.api.ts';
import { askText, STANCE_COLOURS, StanceBadge } from './campaigns-ui.tsx';

/** A month (YYYY-MM) in the reader's calendar words: "Mar 2026". */
function monthLabel(month: string, lang: string): string {
  return new Intl.DateTimeFormat(intlLocale(lang), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T00:00:00Z`));
}

/** Targets per stance per month as stacked bars (each stance with its name in the legend and the table beside it). */
export function ChartPanel({ campaign }: { campaign: CampaignDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [askId, setAskId] = useState<string | null>(campaign.asks[0]?.id ?? null);
  const chart = useQuery({ queryKey: campaignKeys.chart(campaign.id, askId ?? undefined), queryFn: () => campaignsApi.chart(campaign.id, askId ?? undefined), placeholderData: (prev) => prev });
  const months = chart.data?.months ?? [];
  const total = months[0] ? Object.values(months[0].counts).reduce((a, b) => a + b, 0) : 0;
  const barW = 28;
  const gap = 10;
  const h = 160;
  const width = Math.max(1, months.length) * (barW + gap);
  return (
    <Panel id="campaign-chart" title={t('campaign.chart.title')}>
      <Stack gap="sm">
        <Text c="dimmed" size="sm">
          {t('campaign.chart.intro')}
        </Text>
        <Select
          label={t('campaign.chart.ask')}
          maw={420}
          data={[{ value: '', label: t('campaign.chart.allAsks') }, ...campaign.asks.map((a) => ({ value: a.id, label: askText(a, lang).text }))]}
          value={askId ?? ''}
          onChange={(v) => setAskId(v || null)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <ErrorAlert error={chart.error} />
        {months.length > 0 && total > 0 && (
          <>
            <Group gap="xs" aria-hidden>
              {STANCE_VALUES.map((v) => (
                <StanceBadge key={v} value={v} />
              ))}
            </Group>
            <div style={{ overflowX: 'auto' }}>
              <svg role="img" aria-label={t('campaign.chart.figure')} width={width} height={h + 24} style={{ display: 'block' }} data-testid="movement-chart">
                {months.map((m, i) => {
                  // RTL readers read time from right to left: the bars follow the page's direction
                  const x = (document.documentElement.dir === 'rtl' ? months.length - 1 - i : i) * (barW + gap);
                  let y = h;
                  return (
                    <g key={m.month}>
                      {STANCE_VALUES.map((v) => {
                        const hh = (m.counts[v] / total) * h;
                        y -= hh;
                        return hh > 0 ? <rect key={v} x={x} y={y} width={barW} height={hh} fill={STANCE_COLOURS[v].bg} stroke={STANCE_COLOURS[v].fg} strokeWidth={0.5} /> : null;
                      })}
                      <text x={x + barW / 2} y={h + 16} fontSize={10} textAnchor="middle">
                        {m.month.slice(5)}
                      </text>
                    </g>
                  );
                })}
              </svg>
            </div>
          </>
        )}
        <details>
          <summary>{t('campaign.chart.table')}</summary>
          <ScrollTable label={t('campaign.chart.table')} minWidth={560}>
            <Table verticalSpacing={4} data-testid="movement-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('campaign.chart.month')}</Table.Th>
                  {STANCE_VALUES.map((v) => (
                    <Table.Th key={v} scope="col" ta="end">
                      {t(`campaign.stance.${v}`)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {months.map((m) => (
                  <Table.Tr key={m.month}>
                    <Table.Th scope="row">{monthLabel(m.month, lang)}</Table.Th>
                    {STANCE_VALUES.map((v) => (
                      <Table.Td key={v} ta="end">
                        {formatNumber(m.counts[v], lang)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </details>
      </Stack>
    </Panel>
  );
}

import { Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format.ts';
import { groupColour, markerPath, segmentShapeAt, type MarkerShape } from '../../../server/features/dialogues/chart-style.ts';
import type { DialogueAnalysis } from './dialogues.api.ts';
import classes from './dialogues.module.css';
import { formatPercent, pickText } from './dialogues-ui.tsx';

// Charts drawn by hand in SVG: small enough for the bundle, and each one says in words what it shows.

// one colour per opinion group and one shape per segment, shared with the printable report
export { groupColour, segmentColourAt } from '../../../server/features/dialogues/chart-style.ts';
type Shape = MarkerShape;

function useRtl() {
  const { i18n } = useTranslation();
  return i18n.language === 'he' || i18n.language === 'ar';
}

/**
 * A rate between 0 and 1 as a bar from the inline start, with a whisker for its 95% interval.
 * The label says the same in words (screen readers read it; the bar is for the eye).
 */
export function RateBar(props: { rate: number | null; low: number | null; high: number | null; colour?: string; label: string; width?: number }) {
  const rtl = useRtl();
  const W = props.width ?? 160;
  const H = 14;
  const x = (v: number) => (rtl ? W - v * W : v * W);
  const rate = props.rate ?? 0;
  const barStart = Math.min(x(0), x(rate));
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label} className={classes.bar}>
      <title>{props.label}</title>
      <rect x={0} y={3} width={W} height={H - 6} rx={2} className={classes.barTrack} />
      {props.rate !== null && <rect x={barStart} y={3} width={Math.abs(x(rate) - x(0))} height={H - 6} rx={2} fill={props.colour ?? 'var(--mantine-color-teal-6)'} />}
      {props.low !== null && props.high !== null && (
        <g className={classes.whisker}>
          <line x1={x(props.low)} x2={x(props.high)} y1={H / 2} y2={H / 2} />
          <line x1={x(props.low)} x2={x(props.low)} y1={1} y2={H - 1} />
          <line x1={x(props.high)} x2={x(props.high)} y1={1} y2={H - 1} />
        </g>
      )}
    </svg>
  );
}

/** "62% agree (95% interval 48–74%), 40 votes" */
export function useRateWords() {
  const { t, i18n } = useTranslation();
  return (what: 'agree' | 'disagree', rate: number | null, low: number | null, high: number | null, votes: number) =>
    rate === null
      ? t('dialogues.analysis.noVotes')
      : t(what === 'agree' ? 'dialogues.analysis.agreeWords' : 'dialogues.analysis.disagreeWords', {
          rate: formatPercent(rate, i18n.language),
          low: formatPercent(low, i18n.language),
          high: formatPercent(high, i18n.language),
          votes: formatNumber(votes, i18n.language),
        });
}

function Marker({ shape, x, y, r, fill }: { shape: Shape; x: number; y: number; r: number; fill: string }) {
  const { tag: Tag, attrs } = markerPath(shape, x, y, r);
  return shape === 'cross' ? <Tag {...attrs} stroke={fill} strokeWidth={r * 0.8} /> : <Tag {...attrs} fill={fill} />;
}

/** Segment -> marker shape, in the order of the analysis' segments (participants without a segment: circles). */
export function segmentShape(analysis: DialogueAnalysis, segmentId: string | null): Shape {
  return segmentShapeAt(analysis.segments.findIndex((s) => s.id === segmentId));
}

export function ShapeIcon({ shape, colour = 'currentColor' }: { shape: Shape; colour?: string }) {
  return (
    <svg width={14} height={14} viewBox="0 0 14 14" aria-hidden focusable="false">
      <Marker shape={shape} x={7} y={7} r={4.5} fill={colour} />
    </svg>
  );
}

/**
 * The opinion map: each clustered participant a point, coloured by opinion group and shaped by segment,
 * with a legend and, for screen readers and anyone who prefers numbers, the same as a table.
 */
export function OpinionMap({ analysis: a }: { analysis: DialogueAnalysis }) {
  const { t, i18n } = useTranslation();
  const W = 520;
  const H = 360;
  const pad = 18;
  const xs = a.map.map((p) => p.x);
  const ys = a.map.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs, -1), Math.max(...xs, 1)];
  const [y0, y1] = [Math.min(...ys, -1), Math.max(...ys, 1)];
  const sx = (v: number) => pad + ((v - x0) / (x1 - x0 || 1)) * (W - 2 * pad);
  const sy = (v: number) => H - pad - ((v - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  const r = a.map.length > 1500 ? 2 : a.map.length > 300 ? 3 : 4.5;
  const segName = (id: string | null) => (id ? pickText(a.segments.find((s) => s.id === id)?.name, i18n.language).text : t('dialogues.segment.none'));
  // in the segments' own order (none last), as the report's legend lists them
  const present = new Set(a.map.map((p) => p.segmentId));
  const segmentIds: (string | null)[] = [...a.segments.map((s) => s.id).filter((id) => present.has(id)), ...(present.has(null) ? [null] : [])];
  const n = (v: number) => formatNumber(v, i18n.language);
  const desc = t('dialogues.analysis.mapDescription', { points: n(a.map.length), groups: n(a.groups.length) });

  return (
    <Stack gap="sm">
      <svg viewBox={`0 0 ${W} ${H}`} className={classes.map} role="img" aria-labelledby="opinion-map-title opinion-map-desc" data-testid="opinion-map">
        <title id="opinion-map-title">{t('dialogues.analysis.map')}</title>
        <desc id="opinion-map-desc">{desc}</desc>
        <rect x={0} y={0} width={W} height={H} className={classes.mapBackground} />
        <line x1={sx(0)} x2={sx(0)} y1={pad / 2} y2={H - pad / 2} className={classes.axis} />
        <line y1={sy(0)} y2={sy(0)} x1={pad / 2} x2={W - pad / 2} className={classes.axis} />
        <g opacity={0.8}>
          {a.map.map((p, i) => (
            <Marker key={i} shape={segmentShape(a, p.segmentId)} x={sx(p.x)} y={sy(p.y)} r={r} fill={p.groupId >= 0 ? groupColour(p.groupId) : '#5c5f66'} />
          ))}
        </g>
        {a.groups.map((g) => (
          <g key={g.id}>
            <circle cx={sx(g.centroid[0])} cy={sy(g.centroid[1])} r={13} fill="white" stroke={groupColour(g.id)} strokeWidth={2.5} />
            <text x={sx(g.centroid[0])} y={sy(g.centroid[1])} textAnchor="middle" dominantBaseline="central" className={classes.mapLabel}>
              {n(g.id + 1)}
            </text>
          </g>
        ))}
      </svg>
      <Group gap="lg" wrap="wrap" aria-hidden>
        {a.groups.map((g) => (
          <Group key={g.id} gap={6} wrap="nowrap">
            <span className={classes.swatch} style={{ background: groupColour(g.id) }} />
            <Text size="sm">{t('dialogues.analysis.groupN', { n: n(g.id + 1) })}</Text>
          </Group>
        ))}
        {segmentIds.map((id) => (
          <Group key={id ?? 'none'} gap={6} wrap="nowrap">
            <ShapeIcon shape={segmentShape(a, id)} />
            <Text size="sm">
              <bdi>{segName(id)}</bdi>
            </Text>
          </Group>
        ))}
      </Group>
      <details>
        <summary className={classes.summary}>{t('dialogues.analysis.mapAsTable')}</summary>
        <Table mt="xs" withTableBorder>
          <caption className={classes.caption}>{t('dialogues.analysis.mapTableCaption')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dialogues.analysis.group')}</Table.Th>
              {segmentIds.map((id) => (
                <Table.Th key={id ?? 'none'} scope="col" ta="end">
                  <bdi>{segName(id)}</bdi>
                </Table.Th>
              ))}
              <Table.Th scope="col" ta="end">
                {t('dialogues.analysis.total')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {a.groups.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Th scope="row">{t('dialogues.analysis.groupN', { n: n(g.id + 1) })}</Table.Th>
                {segmentIds.map((id) => (
                  <Table.Td key={id ?? 'none'} ta="end">
                    {n(a.map.filter((p) => p.groupId === g.id && p.segmentId === id).length)}
                  </Table.Td>
                ))}
                <Table.Td ta="end">{n(a.map.filter((p) => p.groupId === g.id).length)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </details>
    </Stack>
  );
}

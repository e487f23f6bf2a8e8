import { Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ticks, type Domain } from './plot-scale.ts';
import type { PopulationEffects } from './studies.api.ts';
import classes from './studies.module.css';
import { useNumbers } from './studies-ui.tsx';

// Coefficient plots drawn by hand: one row per message, its effect against control with the 95% interval as a
// horizontal whisker around a dashed zero line; the shrunken estimate (hollow) just under the measured one (filled).
// The numbers on the axis increase left to right in every language (the charting convention); the labels and the
// page around them follow the reading direction, because rows are an HTML grid whose columns mirror in RTL.

export { sharedDomain } from './plot-scale.ts';

export const PLOT_WIDTH = 340;
const ROW_HEIGHT = 34;
const PAD = 14;
const RAW_COLOUR = '#0072B2';
const SHRUNK_COLOUR = '#D55E00';

const scale = ([lo, hi]: Domain) => (v: number) => PAD + ((v - lo) / (hi - lo)) * (PLOT_WIDTH - 2 * PAD);
const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function Whisker({ x, low, high, y, colour, dashed, domain }: { x: (v: number) => number; low: number; high: number; y: number; colour: string; dashed?: boolean; domain: Domain }) {
  const [lo, hi] = domain;
  const a = x(Math.max(lo, low));
  const b = x(Math.min(hi, high));
  return (
    <g stroke={colour} strokeWidth={2} strokeDasharray={dashed ? '4 2' : undefined}>
      <line x1={a} x2={b} y1={y} y2={y} />
      <line x1={a} x2={a} y1={y - 4} y2={y + 4} strokeDasharray={undefined} />
      <line x1={b} x2={b} y1={y - 4} y2={y + 4} strokeDasharray={undefined} />
    </g>
  );
}

/** The legend, in words beside the marks (the marks alone would say nothing to a screen reader). */
export function PlotLegend({ shrinkage }: { shrinkage: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap="lg" wrap="wrap">
      <Group gap={6} wrap="nowrap">
        <svg width={26} height={12} aria-hidden focusable="false">
          <line x1={2} x2={24} y1={6} y2={6} stroke={RAW_COLOUR} strokeWidth={2} />
          <circle cx={13} cy={6} r={4.5} fill={RAW_COLOUR} />
        </svg>
        <Text size="sm">{t('studies.analysis.legendRaw')}</Text>
      </Group>
      {shrinkage && (
        <Group gap={6} wrap="nowrap">
          <svg width={26} height={12} aria-hidden focusable="false">
            <line x1={2} x2={24} y1={6} y2={6} stroke={SHRUNK_COLOUR} strokeWidth={2} strokeDasharray="4 2" />
            <circle cx={13} cy={6} r={4} fill="white" stroke={SHRUNK_COLOUR} strokeWidth={2} />
          </svg>
          <Text size="sm">{t('studies.analysis.legendShrunk')}</Text>
        </Group>
      )}
      <Group gap={6} wrap="nowrap">
        <svg width={14} height={14} aria-hidden focusable="false">
          <line x1={7} x2={7} y1={0} y2={14} className={classes.zero} />
        </svg>
        <Text size="sm">{t('studies.analysis.legendZero')}</Text>
      </Group>
    </Group>
  );
}

/**
 * One population's plot. `label` names a message; `summary` is the sentence a screen reader hears for the whole
 * figure (the figures table below the plots has every number).
 */
export function CoefficientPlot(props: { population: PopulationEffects; domain: Domain; label: (armId: string) => string; summary: string; id: string }) {
  const { t } = useTranslation();
  const f = useNumbers();
  const x = scale(props.domain);
  const tickValues = ticks(props.domain);
  const digits = Math.max(0, Math.min(3, -Math.floor(Math.log10(tickValues.length > 1 ? tickValues[1]! - tickValues[0]! : 1) + 1e-9)));
  return (
    <div role="img" aria-label={props.summary} className={classes.plot} data-testid="coefficient-plot" id={props.id}>
      {props.population.arms.map((arm) => (
        <div key={arm.armId} className={classes.plotRow}>
          <div className={classes.plotLabel}>{props.label(arm.armId)}</div>
          <svg width={PLOT_WIDTH} height={ROW_HEIGHT} viewBox={`0 0 ${PLOT_WIDTH} ${ROW_HEIGHT}`} className={classes.plotSvg} aria-hidden focusable="false">
            {tickValues.map((v) => (
              <line key={v} x1={x(v)} x2={x(v)} y1={0} y2={ROW_HEIGHT} className={v === 0 ? classes.zero : classes.grid} />
            ))}
            {finite(arm.estimate) && finite(arm.ciLow) && finite(arm.ciHigh) ? (
              <>
                <Whisker x={x} low={arm.ciLow} high={arm.ciHigh} y={12} colour={RAW_COLOUR} domain={props.domain} />
                <circle cx={x(arm.estimate)} cy={12} r={5} fill={RAW_COLOUR} data-testid="raw-marker" />
                {arm.shrunk && finite(arm.shrunk.estimate) && finite(arm.shrunk.ciLow) && finite(arm.shrunk.ciHigh) && (
                  <>
                    <Whisker x={x} low={arm.shrunk.ciLow} high={arm.shrunk.ciHigh} y={25} colour={SHRUNK_COLOUR} dashed domain={props.domain} />
                    <circle cx={x(arm.shrunk.estimate)} cy={25} r={4} fill="white" stroke={SHRUNK_COLOUR} strokeWidth={2} data-testid="shrunk-marker" />
                  </>
                )}
              </>
            ) : (
              <text x={PLOT_WIDTH / 2} y={ROW_HEIGHT / 2 + 4} textAnchor="middle" className={classes.plotNote}>
                {t('studies.analysis.notEstimable')}
              </text>
            )}
          </svg>
        </div>
      ))}
      <div className={classes.plotRow}>
        <div />
        <svg width={PLOT_WIDTH} height={24} viewBox={`0 0 ${PLOT_WIDTH} 24`} className={classes.plotSvg} aria-hidden focusable="false">
          <line x1={PAD} x2={PLOT_WIDTH - PAD} y1={1} y2={1} className={classes.axisLine} />
          {tickValues.map((v) => (
            <g key={v}>
              <line x1={x(v)} x2={x(v)} y1={1} y2={6} className={classes.axisLine} />
              <text x={x(v)} y={19} textAnchor="middle" className={classes.tick}>
                {f.signed(v, digits)}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <div className={classes.plotRow}>
        <div />
        <Stack gap={0} align="center" maw={PLOT_WIDTH} miw={0}>
          <Text size="xs" c="dimmed" ta="center">
            {t('studies.analysis.axis')}
          </Text>
        </Stack>
      </div>
    </div>
  );
}

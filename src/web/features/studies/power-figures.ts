import {
  minimumDetectableDifference,
  minimumDetectableEffect,
  sampleSizePerArm,
  sampleSizePerArmForDifference,
} from '../../../server/features/studies/stats/power.ts';
import type { LocalizedText, PowerResult } from './studies.api.ts';

// Power figures for a design that is not saved yet (the wizard): the server's own power module runs in the browser
// (pure arithmetic, no dependency), so the wizard and GET /api/studies/{id}/power give the same numbers.

export type PowerInputs = { sd: number; alpha: number; power: number; mode: 'mde' | 'n'; nPerArm: number | null; mde: number | null };
export type PowerPopulation = { id: string; name: LocalizedText; targetN: number | null };

export const DEFAULT_POWER: PowerInputs = { sd: 1.5, alpha: 0.05, power: 0.8, mode: 'mde', nPerArm: null, mde: 0.3 };

/** Figures from the power module, for a design that is not saved yet. */
export function localPower(populations: readonly PowerPopulation[], arms: number, p: PowerInputs): PowerResult {
  const settings = { alpha: p.alpha, power: p.power };
  if (p.mode === 'n') {
    const n = p.mde && p.mde > 0 ? sampleSizePerArm({ mde: p.mde, sd: p.sd, ...settings }) : NaN;
    const nd = p.mde && p.mde > 0 && populations.length >= 2 ? sampleSizePerArmForDifference({ mde: p.mde, sds: [p.sd, p.sd], ...settings }) : NaN;
    return {
      perPopulation: populations.map((x) => ({ populationId: x.id, nPerArm: Number.isFinite(n) ? n : null, mde: p.mde })),
      difference: populations.length >= 2 ? { nPerArm: Number.isFinite(nd) ? nd : null, mde: p.mde } : null,
    };
  }
  const nOf = (x: PowerPopulation) => p.nPerArm ?? (x.targetN && arms > 0 ? Math.floor(x.targetN / arms) : null);
  const perPopulation = populations.map((x) => {
    const n = nOf(x);
    const mde = n && n > 1 ? minimumDetectableEffect({ nPerArm: n, sd: p.sd, ...settings }) : NaN;
    return { populationId: x.id, nPerArm: n, mde: Number.isFinite(mde) ? mde : null };
  });
  let difference: PowerResult['difference'] = null;
  if (populations.length >= 2) {
    const [a, b] = [nOf(populations[0]!), nOf(populations[1]!)];
    const mde = a && b && a > 1 && b > 1 ? minimumDetectableDifference({ populations: [{ nPerArm: a, sd: p.sd }, { nPerArm: b, sd: p.sd }], ...settings }) : NaN;
    difference = { nPerArm: a && b ? Math.min(a, b) : null, mde: Number.isFinite(mde) ? mde : null };
  }
  return { perPopulation, difference };
}


// A verdict per message from its effects in each population. The rule is exported as text so that the page
// and the report print the same rule the code applies.

export type Verdict = 'persuades_both' | 'persuades_one' | 'backfires' | 'inconclusive';

export const VERDICTS: readonly Verdict[] = ['persuades_both', 'persuades_one', 'backfires', 'inconclusive'];

export const VERDICT_RULE = [
  'A message is significant in a population when its Holm-adjusted p-value (adjusted across the messages tested in that population) is below α (0.05 unless stated).',
  'Backfires: significantly negative in at least one population (checked first).',
  'Persuades both: significantly positive in every population (at least two).',
  'Persuades one: significantly positive in at least one population and not significant in the others (their effect is indistinguishable from zero after the adjustment).',
  'Inconclusive: significant in no population, or not estimable in one of them.',
].join('\n');

export type PopulationResult = { estimate: number; pHolm: number };

export function verdictFor(results: readonly PopulationResult[], alpha = 0.05): Verdict {
  const significant = (r: PopulationResult) => Number.isFinite(r.estimate) && r.pHolm < alpha;
  if (results.some((r) => significant(r) && r.estimate < 0)) return 'backfires';
  if (results.length === 0 || results.some((r) => !Number.isFinite(r.estimate) || Number.isNaN(r.pHolm))) return 'inconclusive';
  const positive = results.filter((r) => significant(r) && r.estimate > 0).length;
  if (positive === results.length && results.length >= 2) return 'persuades_both';
  if (positive >= 1) return 'persuades_one';
  return 'inconclusive';
}

export interface Comparison {
  value: number;
  unit: string;
  baseline: number;
  /** value / baseline, to 3 decimals. */
  ratio: number;
}

export function compare(value: number, baseline: number, unit: string): Comparison {
  return { value: Math.round(value), unit, baseline: Math.round(baseline), ratio: Math.round((value / baseline) * 1000) / 1000 };
}

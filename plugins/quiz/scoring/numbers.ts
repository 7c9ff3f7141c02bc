/** `-9.81`, `9,81`, `1.5e3`, with an optional unit after it: `981 cm/s²`. */
const NUMBER_THEN_UNIT = /^([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:e[-+]?\d+)?)\s*(.*)$/iu;

/** Reads a learner's numeric response; undefined when it does not start with a number. */
export function parseNumberWithUnit(input: string): { value: number; unit: string } | undefined {
  const match = NUMBER_THEN_UNIT.exec(input.trim());
  if (!match) return undefined;
  const value = Number(match[1]!.replace(',', '.'));
  return Number.isFinite(value) ? { value, unit: match[2]!.trim() } : undefined;
}

/** Moodle and GIFT write fractions as percentages (33.33333); we keep 0–1 without float noise. */
export const fromPercent = (percent: number) => Math.round(percent * 1e7) / 1e9;
export const toPercent = (fraction: number) => Math.round(fraction * 1e9) / 1e7;

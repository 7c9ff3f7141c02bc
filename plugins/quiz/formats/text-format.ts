import type { Question } from '../questions/question.js';

type TextFormat = Question['textFormat'];

const MOODLE_NAMES: Record<TextFormat, string> = { html: 'html', moodle: 'moodle_auto_format', plain: 'plain_text', markdown: 'markdown' };

/** Moodle XML's `format` attribute (`moodle_auto_format`, `plain_text`…) to ours; HTML when absent or unknown. */
export function textFormatFromMoodle(name: unknown): TextFormat {
  const found = Object.entries(MOODLE_NAMES).find(([, moodle]) => moodle === name);
  return (found?.[0] as TextFormat | undefined) ?? 'html';
}

export const textFormatToMoodle = (format: TextFormat) => MOODLE_NAMES[format];

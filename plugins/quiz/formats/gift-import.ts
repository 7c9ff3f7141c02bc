import { type GIFTQuestion, parse, type TextChoice } from 'gift-pegjs';
import { OsvError } from '../../../core/plugin-api.js';
import { type QuestionInput, questionSchema } from '../questions/question.js';
import type { ImportedBank } from './moodle-xml-import.js';
import { fromPercent } from './percent.js';

type Parsed = Exclude<GIFTQuestion, { type: 'Category' }>;

/** `=` is 100 % unless weighted; `~` is 0 % unless weighted. */
const fractionOf = (choice: { isCorrect: boolean; weight: number | null }) => (choice.weight === null ? (choice.isCorrect ? 1 : 0) : fromPercent(choice.weight));
const feedbackOf = (choice: { feedback: { text: string } | null }) => choice.feedback?.text ?? '';

function toQuestion(parsed: Parsed): QuestionInput {
  const base = {
    name: parsed.title?.trim() || parsed.stem.text.replace(/<[^>]*>/g, '').slice(0, 80) || 'Untitled',
    text: parsed.stem.text,
    textFormat: parsed.stem.format === 'markdown' || parsed.stem.format === 'plain' || parsed.stem.format === 'html' ? parsed.stem.format : 'moodle',
    generalFeedback: 'globalFeedback' in parsed ? (parsed.globalFeedback?.text ?? '') : '',
    idNumber: parsed.id ?? '',
    tags: parsed.tags ?? [],
  } as const;
  switch (parsed.type) {
    case 'MC':
      return {
        ...base,
        type: 'multichoice',
        // As Moodle reads GIFT: one answer when some answer starts with `=`, several otherwise.
        single: parsed.choices.some((choice) => choice.isCorrect),
        answers: parsed.choices.map((choice) => ({ text: choice.text.text, fraction: fractionOf(choice), feedback: feedbackOf(choice) })),
      };
    case 'TF':
      // GIFT writes {TRUE#feedback when wrong#feedback when right}; the parser calls them true/false feedback.
      return {
        ...base,
        type: 'truefalse',
        correct: parsed.isTrue,
        feedbackTrue: (parsed.isTrue ? parsed.falseFeedback?.text : parsed.trueFeedback?.text) ?? '',
        feedbackFalse: (parsed.isTrue ? parsed.trueFeedback?.text : parsed.falseFeedback?.text) ?? '',
      };
    case 'Short':
      return { ...base, type: 'shortanswer', answers: parsed.choices.map((choice) => ({ text: choice.text.text, fraction: fractionOf(choice), feedback: feedbackOf(choice) })) };
    case 'Numerical': {
      const choices = Array.isArray(parsed.choices) ? parsed.choices : [{ isCorrect: true, weight: null, text: parsed.choices, feedback: null }];
      return {
        ...base,
        type: 'numerical',
        answers: choices.map((choice) => {
          const common = { fraction: fractionOf(choice), feedback: feedbackOf(choice) };
          const value = choice.text as TextChoice['text'] | { type: string; number?: number; range?: number; numberHigh?: number; numberLow?: number };
          if (!('type' in value)) return { ...common, text: '*', tolerance: 0 };
          if (value.type === 'high-low') {
            const [low, high] = [value.numberLow ?? 0, value.numberHigh ?? 0];
            return { ...common, text: String((low + high) / 2), tolerance: Math.abs(high - low) / 2 };
          }
          return { ...common, text: String(value.number ?? 0), tolerance: value.type === 'range' ? (value.range ?? 0) : 0 };
        }),
      };
    }
    case 'Matching':
      return { ...base, type: 'matching', pairs: parsed.matchPairs.map((pair) => ({ question: pair.subquestion.text, answer: pair.subanswer })) };
    case 'Essay':
      return { ...base, type: 'essay' };
    case 'Description':
      return { ...base, type: 'description', defaultGrade: 0 };
  }
}

/** Reads a GIFT file (Moodle's Question bank › Export › GIFT format, or written by hand). */
export function importGift(source: string): ImportedBank {
  let parsed: GIFTQuestion[];
  try {
    parsed = parse(source);
  } catch (error) {
    const location = (error as { location?: { start: { line: number; column: number } } }).location?.start;
    const where = location ? ` at line ${location.line}, column ${location.column}` : '';
    throw new OsvError('OSV_ERR_VALIDATION', `GIFT: cannot read the file${where}; check the braces and escape ~ = # { } : with a backslash`, [
      { field: 'body', issue: `GIFT syntax error${where}` },
    ]);
  }
  let category: string | null = null;
  const questions = [];
  for (const [index, item] of parsed.entries()) {
    if (item.type === 'Category') {
      category = item.title.trim();
      continue;
    }
    const result = questionSchema.safeParse(toQuestion(item));
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new OsvError('OSV_ERR_VALIDATION', `GIFT: question ${index} ("${item.title ?? ''}"): ${issue.path.join('.')}: ${issue.message}`, [
        { field: 'body', issue: issue.message },
      ]);
    }
    questions.push(result.data);
  }
  return { category, questions };
}

import { OsvError } from '../../../core/plugin-api.js';
import type {
  ChoiceQuestion,
  MatchingQuestion,
  NumericalQuestion,
  Question,
  ShortAnswerQuestion,
  TrueFalseQuestion,
} from '../questions/question.js';
import { parseNumberWithUnit } from './numbers.js';
import type { QuestionResponse } from './response.js';

export interface ScoredResponse {
  /** 0–1 of the question's marks; null when a person has to grade it (essay) or it is not gradable. */
  fraction: number | null;
  feedback: string[];
}

const clamp = (value: number) => Math.min(1, Math.max(0, value));
/** Fractions like 33.33333 % ×3 should add up to exactly 1, not 0.9999999. */
const tidy = (value: number) => Math.round(value * 1e6) / 1e6;

function missing(field: string, type: string): never {
  throw new OsvError('OSV_ERR_VALIDATION', `response.${field}: required for a ${type} question`, [
    { field: `response.${field}`, issue: `required for a ${type} question` },
  ]);
}

function scoreChoice(question: ChoiceQuestion, response: QuestionResponse): ScoredResponse {
  const chosen = [...new Set(response.choices ?? missing('choices', 'multichoice'))];
  const outOfRange = chosen.find((index) => index >= question.answers.length);
  if (outOfRange !== undefined) {
    throw new OsvError('OSV_ERR_VALIDATION', `response.choices: ${outOfRange} is not an answer of this question (it has ${question.answers.length})`, [
      { field: 'response.choices', issue: `index ${outOfRange} out of range` },
    ]);
  }
  if (question.single && chosen.length > 1) {
    throw new OsvError('OSV_ERR_VALIDATION', 'response.choices: this question takes one answer', [{ field: 'response.choices', issue: 'more than one answer' }]);
  }
  const answers = chosen.map((index) => question.answers[index]!);
  const sum = answers.reduce((total, answer) => total + answer.fraction, 0);
  return { fraction: clamp(tidy(sum)), feedback: answers.map((answer) => answer.feedback).filter(Boolean) };
}

function scoreTrueFalse(question: TrueFalseQuestion, response: QuestionResponse): ScoredResponse {
  const value = response.value ?? missing('value', 'truefalse');
  const feedback = value ? question.feedbackTrue : question.feedbackFalse;
  return { fraction: value === question.correct ? 1 : 0, feedback: feedback ? [feedback] : [] };
}

function normalise(text: string): string {
  return text.trim().replace(/\s+/gu, ' ');
}

/** Moodle's short-answer patterns: `*` stands for any run of characters, everything else is literal. */
function patternMatches(pattern: string, text: string, caseSensitive: boolean): boolean {
  const literalParts = normalise(pattern).split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literalParts.join('.*')}$`, caseSensitive ? 'u' : 'iu').test(text);
}

function scoreShortAnswer(question: ShortAnswerQuestion, response: QuestionResponse): ScoredResponse {
  const text = normalise(response.text ?? missing('text', 'shortanswer'));
  if (text === '') return { fraction: 0, feedback: [] };
  const match = question.answers.find((answer) => patternMatches(answer.text, text, question.caseSensitive));
  return match ? { fraction: clamp(match.fraction), feedback: match.feedback ? [match.feedback] : [] } : { fraction: 0, feedback: [] };
}

function withinTolerance(value: number, expected: number, tolerance: number): boolean {
  // A hair of slack so that 9.86 is within 9.81 ± 0.05 despite binary floating point.
  const slack = 1e-9 * Math.max(1, Math.abs(expected));
  return Math.abs(value - expected) <= tolerance + slack;
}

function scoreNumerical(question: NumericalQuestion, response: QuestionResponse): ScoredResponse {
  const parsed = parseNumberWithUnit(response.text ?? missing('text', 'numerical'));
  if (!parsed) return { fraction: 0, feedback: [] };
  const unit = question.units.find((candidate) => candidate.name === parsed.unit);
  const unitMissingOrWrong = question.units.length > 0 && !unit;
  if (question.units.length === 0 && parsed.unit !== '') return { fraction: 0, feedback: [] };
  // Answers are in the unit with multiplier 1; 981 cm/s² (multiplier 100) is 9.81 m/s².
  const value = unit ? parsed.value / unit.multiplier : parsed.value;
  const match = question.answers.find((answer) => answer.text.trim() === '*' || withinTolerance(value, Number(answer.text), answer.tolerance));
  if (!match) return { fraction: 0, feedback: [] };
  let fraction = clamp(match.fraction);
  if (unitMissingOrWrong && question.unitGrading === 1) fraction -= question.unitPenalty * fraction;
  if (unitMissingOrWrong && question.unitGrading === 2) fraction -= question.unitPenalty;
  return { fraction: clamp(tidy(fraction)), feedback: match.feedback ? [match.feedback] : [] };
}

function scoreMatching(question: MatchingQuestion, response: QuestionResponse): ScoredResponse {
  const stems = question.pairs.filter((pair) => pair.question.trim() !== '');
  const matches = response.matches ?? missing('matches', 'matching');
  if (matches.length !== stems.length) {
    throw new OsvError('OSV_ERR_VALIDATION', `response.matches: give one answer (or null) for each of the ${stems.length} sub-questions`, [
      { field: 'response.matches', issue: `expected ${stems.length} entries, got ${matches.length}` },
    ]);
  }
  const right = stems.filter((pair, index) => matches[index] === pair.answer).length;
  return { fraction: tidy(right / stems.length), feedback: [] };
}

/** Scores one response to one question, the way Moodle's question engine would for a single try. */
export function scoreResponse(question: Question, response: QuestionResponse): ScoredResponse {
  switch (question.type) {
    case 'multichoice':
      return scoreChoice(question, response);
    case 'truefalse':
      return scoreTrueFalse(question, response);
    case 'shortanswer':
      return scoreShortAnswer(question, response);
    case 'numerical':
      return scoreNumerical(question, response);
    case 'matching':
      return scoreMatching(question, response);
    case 'essay':
      return { fraction: null, feedback: [] };
    case 'description':
    case 'cloze':
      return { fraction: null, feedback: [] };
  }
}

import { z } from 'zod';

/**
 * A question of a course bank. The shape follows what Moodle XML can express, so imports keep
 * everything the scoring uses; fractions are 0–1 (Moodle writes percentages), and may be negative
 * for wrong choices of a multiple-answer question.
 */
const textFormat = z.enum(['html', 'moodle', 'plain', 'markdown']);

const answerSchema = z.object({
  text: z.string().max(10_000),
  fraction: z.number().min(-1).max(1),
  feedback: z.string().max(10_000).default(''),
});

const common = {
  name: z.string().min(1).max(255),
  text: z.string().max(100_000),
  textFormat: textFormat.default('html'),
  generalFeedback: z.string().max(100_000).default(''),
  /** Marks the question is worth in a quiz (Moodle's defaultgrade). */
  defaultGrade: z.number().min(0).max(1000).default(1),
  idNumber: z.string().max(100).default(''),
  tags: z.array(z.string().min(1).max(100)).max(50).default([]),
};

const choiceQuestion = z.object({
  ...common,
  type: z.literal('multichoice'),
  /** One answer (radio buttons) or several (check boxes, fractions summed). */
  single: z.boolean(),
  shuffleAnswers: z.boolean().default(true),
  answers: z.array(answerSchema).min(2).max(50),
});

const trueFalseQuestion = z.object({
  ...common,
  type: z.literal('truefalse'),
  correct: z.boolean(),
  feedbackTrue: z.string().max(10_000).default(''),
  feedbackFalse: z.string().max(10_000).default(''),
});

const shortAnswerQuestion = z.object({
  ...common,
  type: z.literal('shortanswer'),
  caseSensitive: z.boolean().default(false),
  /** Accepted variants in order; the first that matches wins; `*` matches any run of characters. */
  answers: z.array(answerSchema).min(1).max(50),
});

const numericalAnswerSchema = answerSchema.extend({
  /** Absolute: a response within `text ± tolerance` matches; `text` `*` matches any number. */
  tolerance: z.number().min(0).default(0),
});

const unitSchema = z.object({ name: z.string().min(1).max(50), multiplier: z.number().positive() });

const numericalQuestion = z.object({
  ...common,
  type: z.literal('numerical'),
  answers: z.array(numericalAnswerSchema).min(1).max(50),
  /** Accepted units; the one with multiplier 1 is the unit the answers are in. */
  units: z.array(unitSchema).max(20).default([]),
  /** 0: units are not graded; 1: a missing or wrong unit costs `unitPenalty` of the response's mark; 2: of the question's. */
  unitGrading: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
  unitPenalty: z.number().min(0).max(1).default(0.1),
});

const matchingQuestion = z.object({
  ...common,
  type: z.literal('matching'),
  shuffleAnswers: z.boolean().default(true),
  /** A pair with an empty `question` only adds its answer as a distractor. */
  pairs: z.array(z.object({ question: z.string().max(10_000), answer: z.string().min(1).max(1000) })).min(2).max(50),
});

const essayQuestion = z.object({
  ...common,
  type: z.literal('essay'),
  responseFormat: z.string().max(50).default('editor'),
  responseFieldLines: z.number().int().min(1).max(100).default(15),
  minWordLimit: z.number().int().min(0).nullable().default(null),
  maxWordLimit: z.number().int().min(0).nullable().default(null),
  graderInfo: z.string().max(100_000).default(''),
  responseTemplate: z.string().max(100_000).default(''),
});

const descriptionQuestion = z.object({ ...common, type: z.literal('description') });

/** Moodle's embedded-answers (cloze) question, kept as its source text; not graded here yet. */
const clozeQuestion = z.object({ ...common, type: z.literal('cloze') });

export const questionSchema = z.discriminatedUnion('type', [
  choiceQuestion,
  trueFalseQuestion,
  shortAnswerQuestion,
  numericalQuestion,
  matchingQuestion,
  essayQuestion,
  descriptionQuestion,
  clozeQuestion,
]);

export type Question = z.infer<typeof questionSchema>;
export type QuestionInput = z.input<typeof questionSchema>;
export type QuestionType = Question['type'];
export type ChoiceQuestion = z.infer<typeof choiceQuestion>;
export type TrueFalseQuestion = z.infer<typeof trueFalseQuestion>;
export type ShortAnswerQuestion = z.infer<typeof shortAnswerQuestion>;
export type NumericalQuestion = z.infer<typeof numericalQuestion>;
export type MatchingQuestion = z.infer<typeof matchingQuestion>;

/** Types whose responses the scoring module grades on its own. */
export const AUTO_GRADED: ReadonlySet<QuestionType> = new Set(['multichoice', 'truefalse', 'shortanswer', 'numerical', 'matching']);

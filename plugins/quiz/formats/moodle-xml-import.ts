import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { OsvError } from '../../../core/plugin-api.js';
import { type Question, type QuestionInput, questionSchema } from '../questions/question.js';
import { fromPercent } from './percent.js';
import { textFormatFromMoodle } from './text-format.js';

type Node = Record<string, unknown>;

const REPEATED = new Set(['question', 'answer', 'subquestion', 'tag', 'unit', 'hint']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
});

export interface ImportedBank {
  category: string | null;
  questions: Question[];
}

const textOf = (node: unknown): string => {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  const text = (node as Node).text;
  if (text === undefined) return typeof (node as Node)['#text'] === 'string' ? ((node as Node)['#text'] as string).trim() : '';
  return typeof text === 'string' ? text : textOf(text);
};
const numberOf = (node: unknown, fallback: number): number => {
  const value = Number.parseFloat(textOf(node).trim());
  return Number.isFinite(value) ? value : fallback;
};
const flag = (node: unknown): boolean => ['1', 'true'].includes(textOf(node).trim().toLowerCase());
const list = (node: unknown): Node[] => (Array.isArray(node) ? (node as Node[]) : []);
const answersOf = (question: Node) =>
  list(question.answer).map((answer) => ({
    text: textOf(answer),
    fraction: fromPercent(numberOf(answer['@fraction'], 0)),
    feedback: textOf(answer.feedback),
  }));

function common(question: Node) {
  return {
    name: textOf(question.name).trim(),
    text: textOf(question.questiontext),
    textFormat: textFormatFromMoodle((question.questiontext as Node | undefined)?.['@format']),
    generalFeedback: textOf(question.generalfeedback),
    defaultGrade: numberOf(question.defaultgrade, 1),
    idNumber: textOf(question.idnumber).trim(),
    tags: list((question.tags as Node | undefined)?.tag).map((tag) => textOf(tag).trim()),
  };
}

/** One `<question>` in our shape; undefined for Moodle types we do not keep. */
function toQuestion(question: Node): QuestionInput | undefined {
  const base = common(question);
  switch (question['@type']) {
    case 'multichoice':
      return { ...base, type: 'multichoice', single: flag(question.single), shuffleAnswers: flag(question.shuffleanswers), answers: answersOf(question) };
    case 'truefalse': {
      const answers = answersOf(question);
      const yes = answers.find((answer) => answer.text.trim() === 'true');
      const no = answers.find((answer) => answer.text.trim() === 'false');
      return { ...base, type: 'truefalse', correct: (yes?.fraction ?? 0) > 0, feedbackTrue: yes?.feedback ?? '', feedbackFalse: no?.feedback ?? '' };
    }
    case 'shortanswer':
      return { ...base, type: 'shortanswer', caseSensitive: flag(question.usecase), answers: answersOf(question) };
    case 'numerical': {
      const units = list((question.units as Node | undefined)?.unit).map((unit) => ({ name: textOf(unit.unit_name).trim(), multiplier: numberOf(unit.multiplier, 1) }));
      const grading = numberOf(question.unitgradingtype, 0);
      return {
        ...base,
        type: 'numerical',
        answers: list(question.answer).map((answer, index) => ({ ...answersOf(question)[index]!, tolerance: numberOf(answer.tolerance, 0) })),
        units,
        unitGrading: grading === 1 || grading === 2 ? grading : 0,
        unitPenalty: numberOf(question.unitpenalty, 0.1),
      };
    }
    case 'matching':
      return {
        ...base,
        type: 'matching',
        shuffleAnswers: flag(question.shuffleanswers),
        pairs: list(question.subquestion).map((pair) => ({ question: textOf(pair), answer: textOf(list(pair.answer)[0]) })),
      };
    case 'essay': {
      const min = numberOf(question.minwordlimit, Number.NaN);
      const max = numberOf(question.maxwordlimit, Number.NaN);
      return {
        ...base,
        type: 'essay',
        responseFormat: textOf(question.responseformat).trim() || 'editor',
        responseFieldLines: numberOf(question.responsefieldlines, 15),
        minWordLimit: Number.isNaN(min) ? null : min,
        maxWordLimit: Number.isNaN(max) ? null : max,
        graderInfo: textOf(question.graderinfo),
        responseTemplate: textOf(question.responsetemplate),
      };
    }
    case 'description':
      return { ...base, type: 'description' };
    case 'cloze':
      return { ...base, type: 'cloze' };
    default:
      return undefined;
  }
}

function refuse(message: string): never {
  throw new OsvError('OSV_ERR_VALIDATION', `Moodle XML: ${message}`, [{ field: 'body', issue: message }]);
}

/** Reads a Moodle XML question export (Question bank › Export › Moodle XML format). */
export function importMoodleXml(xml: string): ImportedBank {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) refuse(`not well-formed XML (line ${valid.err.line}: ${valid.err.msg}); export the questions again from Moodle`);
  const document = parser.parse(xml) as Node;
  const quiz = document.quiz as Node | undefined;
  if (!quiz || typeof quiz !== 'object') refuse('the root element must be <quiz>; is this a Moodle XML question export?');
  let category: string | null = null;
  const questions: Question[] = [];
  for (const [index, node] of list(quiz.question).entries()) {
    if (node['@type'] === 'category') {
      category = textOf(node.category).trim() || category;
      continue;
    }
    const input = toQuestion(node);
    if (!input) refuse(`question ${index + 1} has type "${String(node['@type'])}", which osv does not import`);
    const parsed = questionSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      refuse(`question ${index + 1} ("${input.name}"): ${issue.path.join('.')}: ${issue.message}`);
    }
    questions.push(parsed.data);
  }
  return { category, questions };
}

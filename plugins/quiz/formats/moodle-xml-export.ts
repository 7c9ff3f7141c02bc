import { XMLBuilder } from 'fast-xml-parser';
import type { Question } from '../questions/question.js';
import { toPercent } from './percent.js';
import { textFormatToMoodle } from './text-format.js';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, indentBy: '  ', suppressEmptyNode: false });

const text = (value: string) => ({ text: value });
const formatted = (value: string, format = 'html') => ({ '@format': format, text: value });
const percent = (fraction: number) => String(toPercent(fraction));
const answer = (value: { text: string; fraction: number; feedback: string }, extra: Record<string, unknown> = {}) => ({
  '@fraction': percent(value.fraction),
  '@format': 'moodle_auto_format',
  text: value.text,
  feedback: formatted(value.feedback),
  ...extra,
});

function specificFields(question: Question): Record<string, unknown> {
  switch (question.type) {
    case 'multichoice':
      return { single: String(question.single), shuffleanswers: String(question.shuffleAnswers), answer: question.answers.map((value) => ({ ...answer(value), '@format': 'html' })) };
    case 'truefalse':
      return {
        answer: [
          answer({ text: 'true', fraction: question.correct ? 1 : 0, feedback: question.feedbackTrue }),
          answer({ text: 'false', fraction: question.correct ? 0 : 1, feedback: question.feedbackFalse }),
        ],
      };
    case 'shortanswer':
      return { usecase: question.caseSensitive ? '1' : '0', answer: question.answers.map((value) => answer(value)) };
    case 'numerical':
      return {
        answer: question.answers.map((value) => answer(value, { tolerance: String(value.tolerance) })),
        ...(question.units.length > 0 ? { units: { unit: question.units.map((unit) => ({ multiplier: String(unit.multiplier), unit_name: unit.name })) } } : {}),
        unitgradingtype: String(question.unitGrading),
        unitpenalty: String(question.unitPenalty),
        showunits: question.units.length > 0 ? '0' : '3',
        unitsleft: '0',
      };
    case 'matching':
      return {
        shuffleanswers: String(question.shuffleAnswers),
        subquestion: question.pairs.map((pair) => ({ '@format': 'html', text: pair.question, answer: text(pair.answer) })),
      };
    case 'essay':
      return {
        responseformat: question.responseFormat,
        responserequired: '1',
        responsefieldlines: String(question.responseFieldLines),
        minwordlimit: question.minWordLimit === null ? '' : String(question.minWordLimit),
        maxwordlimit: question.maxWordLimit === null ? '' : String(question.maxWordLimit),
        attachments: '0',
        graderinfo: formatted(question.graderInfo),
        responsetemplate: formatted(question.responseTemplate),
      };
    case 'description':
    case 'cloze':
      return {};
  }
}

function questionElement(question: Question) {
  return {
    '@type': question.type,
    name: text(question.name),
    questiontext: formatted(question.text, textFormatToMoodle(question.textFormat)),
    generalfeedback: formatted(question.generalFeedback),
    defaultgrade: String(question.defaultGrade),
    hidden: '0',
    idnumber: question.idNumber,
    ...specificFields(question),
    ...(question.tags.length > 0 ? { tags: { tag: question.tags.map(text) } } : {}),
  };
}

/** A Moodle XML question export that Moodle's Question bank › Import reads back. */
export function exportMoodleXml(questions: Question[], category?: string): string {
  const categoryElement = category ? [{ '@type': 'category', category: text(category) }] : [];
  const body = builder.build({ quiz: { question: [...categoryElement, ...questions.map(questionElement)] } }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

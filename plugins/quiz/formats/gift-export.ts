import type { Question } from '../questions/question.js';
import { toPercent } from './percent.js';

/** GIFT's special characters, escaped with a backslash (the backslash itself first). */
const escapeGift = (text: string) => text.replace(/\\/g, '\\\\').replace(/[~=#{}:]/g, (character) => `\\${character}`);
const withFeedback = (text: string, feedback: string) => (feedback ? `${text}#${escapeGift(feedback)}` : text);
const weight = (fraction: number) => `%${toPercent(fraction)}%`;
const generalFeedback = (question: Question) => (question.generalFeedback ? `\t####${escapeGift(question.generalFeedback)}\n` : '');

function choiceLines(question: Question): string | undefined {
  switch (question.type) {
    case 'multichoice':
      return question.answers
        .map((answer) => {
          const marker = question.single && answer.fraction === 1 ? '=' : question.single && answer.fraction === 0 ? '~' : `~${weight(answer.fraction)}`;
          return `\t${withFeedback(`${marker}${escapeGift(answer.text)}`, answer.feedback)}\n`;
        })
        .join('');
    case 'shortanswer':
      return question.answers.map((answer) => `\t${withFeedback(`=${weight(answer.fraction)}${escapeGift(answer.text)}`, answer.feedback)}\n`).join('');
    case 'matching':
      return question.pairs.map((pair) => `\t=${escapeGift(pair.question)} -> ${escapeGift(pair.answer)}\n`).join('');
    default:
      return undefined;
  }
}

function body(question: Question): string {
  switch (question.type) {
    case 'description':
    case 'cloze':
      return '';
    case 'essay':
      return `{${question.generalFeedback ? `####${escapeGift(question.generalFeedback)}` : ''}}`;
    case 'truefalse': {
      const [right, wrong] = question.correct ? [question.feedbackTrue, question.feedbackFalse] : [question.feedbackFalse, question.feedbackTrue];
      const general = question.generalFeedback ? `####${escapeGift(question.generalFeedback)}` : '';
      return `{${question.correct ? 'TRUE' : 'FALSE'}#${escapeGift(wrong)}#${escapeGift(right)}${general}}`;
    }
    case 'numerical': {
      const lines = question.answers
        .map((answer) => (answer.text.trim() === '*' ? `\t${withFeedback('~', answer.feedback)}\n` : `\t${withFeedback(`=${weight(answer.fraction)}${answer.text}:${answer.tolerance}`, answer.feedback)}\n`))
        .join('');
      return `{#\n${lines}${generalFeedback(question)}}`;
    }
    default:
      return `{\n${choiceLines(question)}${generalFeedback(question)}}`;
  }
}

function comments(question: Question): string {
  const labels = [...(question.idNumber ? [`[id:${question.idNumber}]`] : []), ...question.tags.map((tag) => `[tag:${tag}]`)];
  return `// name: ${question.name.replace(/\s+/g, ' ')}\n${labels.length > 0 ? `// ${labels.join(' ')}\n` : ''}`;
}

/**
 * A GIFT file Moodle imports. GIFT cannot say marks, units, case sensitivity, shuffling or essay
 * settings; cloze questions are written as a comment only, as Moodle does.
 */
export function exportGift(questions: Question[], category?: string): string {
  const header = category ? `$CATEGORY: ${category}\n\n` : '';
  return (
    header +
    questions
      .map((question) => {
        if (question.type === 'cloze') return `${comments(question)}\n`;
        return `${comments(question)}::${escapeGift(question.name)}::[${question.textFormat}]${escapeGift(question.text)}${body(question)}\n`;
      })
      .join('\n')
  );
}

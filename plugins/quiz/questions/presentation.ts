import type { Question } from './question.js';

/**
 * A question as a learner sees it while answering: texts and choices, never fractions, answers or
 * feedback. Choices keep their index (responses name them by it); matching answers are sorted.
 */
export function presentQuestion(id: string, question: Question) {
  const shown = { id, type: question.type, name: question.name, text: question.text, textFormat: question.textFormat, marks: question.defaultGrade };
  switch (question.type) {
    case 'multichoice':
      return { ...shown, single: question.single, choices: question.answers.map((answer, index) => ({ index, text: answer.text })) };
    case 'numerical':
      return { ...shown, units: question.units.map((unit) => unit.name) };
    case 'matching':
      return {
        ...shown,
        stems: question.pairs.filter((pair) => pair.question.trim() !== '').map((pair) => pair.question),
        options: [...new Set(question.pairs.map((pair) => pair.answer))].sort((a, b) => a.localeCompare(b)),
      };
    case 'essay':
      return { ...shown, responseFieldLines: question.responseFieldLines, minWordLimit: question.minWordLimit, maxWordLimit: question.maxWordLimit, responseTemplate: question.responseTemplate };
    default:
      return shown;
  }
}

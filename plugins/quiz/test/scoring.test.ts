import { describe, expect, it } from 'vitest';
import { type QuestionInput, questionSchema } from '../questions/question.js';
import { scoreResponse } from '../scoring/score-response.js';
import type { QuestionResponse } from '../scoring/response.js';

const question = (input: Omit<QuestionInput, 'name' | 'text'> & Partial<QuestionInput>) => questionSchema.parse({ name: 'q', text: 'q', ...input } as QuestionInput);
const fraction = (q: ReturnType<typeof question>, response: QuestionResponse) => scoreResponse(q, response).fraction;

describe('scoring', () => {
  const capital = question({
    type: 'multichoice',
    single: true,
    answers: [
      { text: 'Madrid', fraction: 1, feedback: '¡Correcto!' },
      { text: 'Barcelona', fraction: 0, feedback: 'Cataluña' },
      { text: 'Sevilla', fraction: 0.5 },
    ],
  });
  it('multiple choice, one answer: full, partial, wrong, none, and two answers refused', () => {
    expect(scoreResponse(capital, { choices: [0] })).toEqual({ fraction: 1, feedback: ['¡Correcto!'] });
    expect(fraction(capital, { choices: [2] })).toBe(0.5);
    expect(fraction(capital, { choices: [1] })).toBe(0);
    expect(fraction(capital, { choices: [] })).toBe(0);
    expect(() => scoreResponse(capital, { choices: [0, 1] })).toThrow(/takes one answer/);
    expect(() => scoreResponse(capital, { choices: [7] })).toThrow(/7 is not an answer/);
    expect(() => scoreResponse(capital, { text: 'Madrid' })).toThrow(/response.choices: required/);
  });

  const primes = question({
    type: 'multichoice',
    single: false,
    answers: [
      { text: '2', fraction: 0.3333333 },
      { text: '3', fraction: 0.3333333 },
      { text: '5', fraction: 0.3333333 },
      { text: '4', fraction: -0.5 },
      { text: '9', fraction: -0.5 },
    ],
  });
  it('multiple answers: partial credit adds up to exactly 1, wrong choices subtract, never below 0', () => {
    expect(fraction(primes, { choices: [0, 1, 2] })).toBe(1);
    expect(fraction(primes, { choices: [2, 0, 1, 1] })).toBe(1);
    expect(fraction(primes, { choices: [0] })).toBeCloseTo(1 / 3, 6);
    expect(fraction(primes, { choices: [0, 1, 2, 3] })).toBeCloseTo(0.5, 6);
    expect(fraction(primes, { choices: [0, 3] })).toBe(0);
    expect(fraction(primes, { choices: [3, 4] })).toBe(0);
    expect(fraction(primes, { choices: [0, 1, 2, 3, 4] })).toBe(0);
  });

  it('true/false, with the feedback of the chosen value', () => {
    const pi = question({ type: 'truefalse', correct: true, feedbackTrue: 'Yes', feedbackFalse: 'No' });
    expect(scoreResponse(pi, { value: true })).toEqual({ fraction: 1, feedback: ['Yes'] });
    expect(scoreResponse(pi, { value: false })).toEqual({ fraction: 0, feedback: ['No'] });
    expect(fraction(question({ type: 'truefalse', correct: false }), { value: false })).toBe(1);
    expect(() => scoreResponse(pi, { choices: [0] })).toThrow(/response.value/);
  });

  const gracias = question({
    type: 'shortanswer',
    answers: [
      { text: 'gracias', fraction: 1 },
      { text: 'muchas gracias', fraction: 1, feedback: '¡Excelente!' },
      { text: 'grac*', fraction: 0.5 },
      { text: '*', fraction: 0, feedback: 'Inténtalo otra vez.' },
    ],
  });
  it('short answer: variants, case and spacing ignored, wildcards, catch-all', () => {
    expect(fraction(gracias, { text: 'gracias' })).toBe(1);
    expect(scoreResponse(gracias, { text: '  Muchas   GRACIAS ' })).toEqual({ fraction: 1, feedback: ['¡Excelente!'] });
    expect(fraction(gracias, { text: 'graciass' })).toBe(0.5);
    expect(scoreResponse(gracias, { text: 'danke' })).toEqual({ fraction: 0, feedback: ['Inténtalo otra vez.'] });
    expect(fraction(gracias, { text: '' })).toBe(0);
    // Regular-expression characters in answers are literal.
    const dots = question({ type: 'shortanswer', answers: [{ text: 'a.b (c)', fraction: 1 }] });
    expect(fraction(dots, { text: 'a.b (c)' })).toBe(1);
    expect(fraction(dots, { text: 'axb (c)' })).toBe(0);
  });

  it('short answer: case-sensitive when asked, Unicode compared as such', () => {
    const strict = question({ type: 'shortanswer', caseSensitive: true, answers: [{ text: 'Ελλάδα', fraction: 1 }] });
    expect(fraction(strict, { text: 'Ελλάδα' })).toBe(1);
    expect(fraction(strict, { text: 'ελλάδα' })).toBe(0);
    const loose = question({ type: 'shortanswer', answers: [{ text: 'Ελλάδα', fraction: 1 }, { text: 'manzana 🍎', fraction: 1 }] });
    expect(fraction(loose, { text: 'ΕΛΛΆΔΑ' })).toBe(1);
    expect(fraction(loose, { text: 'Manzana 🍎' })).toBe(1);
  });

  const gravity = question({
    type: 'numerical',
    answers: [
      { text: '9.81', fraction: 1, tolerance: 0.05 },
      { text: '10', fraction: 0.5, tolerance: 0 },
      { text: '*', fraction: 0, feedback: 'No.' },
    ],
    units: [
      { name: 'm/s²', multiplier: 1 },
      { name: 'cm/s²', multiplier: 100 },
    ],
    unitGrading: 1,
    unitPenalty: 0.1,
  });
  it('numerical: tolerance bounds inclusive, units with multipliers, unit penalty, catch-all', () => {
    expect(fraction(gravity, { text: '9.81 m/s²' })).toBe(1);
    expect(fraction(gravity, { text: '9.86 m/s²' })).toBe(1);
    expect(fraction(gravity, { text: '9.76m/s²' })).toBe(1);
    expect(fraction(gravity, { text: '981 cm/s²' })).toBe(1);
    expect(fraction(gravity, { text: '9,8 m/s²' })).toBe(1);
    expect(fraction(gravity, { text: '10 m/s²' })).toBe(0.5);
    expect(fraction(gravity, { text: '9.81' })).toBe(0.9);
    expect(fraction(gravity, { text: '9.81 furlongs' })).toBe(0.9);
    expect(scoreResponse(gravity, { text: '9.87 m/s²' })).toEqual({ fraction: 0, feedback: ['No.'] });
    expect(fraction(gravity, { text: 'nine' })).toBe(0);
  });

  it('numerical without units: exact tolerance, scientific notation, text after the number is wrong', () => {
    const third = question({ type: 'numerical', answers: [{ text: '0.333', fraction: 1, tolerance: 0.001 }] });
    expect(fraction(third, { text: '0.334' })).toBe(1);
    expect(fraction(third, { text: '3.33e-1' })).toBe(1);
    expect(fraction(third, { text: '.332' })).toBe(1);
    expect(fraction(third, { text: '0.3345' })).toBe(0);
    expect(fraction(third, { text: '0.333 kg' })).toBe(0);
    const unitPenaltyOfQuestion = question({ type: 'numerical', answers: [{ text: '2', fraction: 0.5 }], units: [{ name: 'm', multiplier: 1 }], unitGrading: 2, unitPenalty: 0.2 });
    expect(fraction(unitPenaltyOfQuestion, { text: '2' })).toBeCloseTo(0.3, 6);
  });

  const capitals = question({
    type: 'matching',
    pairs: [
      { question: 'Perú', answer: 'Lima' },
      { question: 'México', answer: 'Ciudad de México' },
      { question: 'Ελλάδα', answer: 'Atenas' },
      { question: '', answer: 'Bogotá' },
    ],
  });
  it('matching: a share per sub-question, distractors are not sub-questions', () => {
    expect(fraction(capitals, { matches: ['Lima', 'Ciudad de México', 'Atenas'] })).toBe(1);
    expect(fraction(capitals, { matches: ['Lima', 'Bogotá', null] })).toBeCloseTo(1 / 3, 6);
    expect(fraction(capitals, { matches: ['Bogotá', 'Lima', 'Lima'] })).toBe(0);
    expect(() => scoreResponse(capitals, { matches: ['Lima'] })).toThrow(/one answer \(or null\) for each of the 3/);
  });

  it('essay waits for a person; description and cloze are not graded', () => {
    expect(fraction(question({ type: 'essay' }), { text: 'My city is big.' })).toBeNull();
    expect(fraction(question({ type: 'description' }), {})).toBeNull();
    expect(fraction(question({ type: 'cloze' }), {})).toBeNull();
  });
});

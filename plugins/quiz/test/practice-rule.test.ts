import { describe, expect, it } from 'vitest';
import { chooseNextQuestion, type PracticeAnswer, reviewDueAt } from '../practice/next-question.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, 0) + minutes * 60_000);
const answer = (questionId: string, fraction: number, minutes: number): PracticeAnswer => ({ questionId, fraction, answeredAt: at(minutes) });
// easy: peers get it right 9 of 10 times; medium: half; hard: 1 of 10.
const bank = [
  { id: 'easy', answers: 10, fractionSum: 9 },
  { id: 'medium', answers: 10, fractionSum: 5 },
  { id: 'hard', answers: 10, fractionSum: 1 },
];

describe('adaptive practice rule', () => {
  it('starts a new learner at medium difficulty', () => {
    expect(chooseNextQuestion(bank, [], at(0))).toMatchObject({ questionId: 'medium', reason: 'adaptive', targetDifficulty: 0.5 });
  });

  it('gives harder questions to a learner who does well and easier ones to a learner who struggles', () => {
    const strong = [answer('x', 1, 0), answer('y', 1, 1), answer('z', 1, 2), answer('w', 0.8, 3)];
    expect(chooseNextQuestion(bank, strong, at(5))).toMatchObject({ questionId: 'hard', targetDifficulty: 0.95 });
    const weak = [answer('x', 1, 0), answer('y', 0, 1), answer('z', 0, 2), answer('w', 0, 3)];
    expect(chooseNextQuestion(bank, weak, at(5))).toMatchObject({ questionId: 'easy', targetDifficulty: 0.25 });
    // Only the last 10 answers count: old failures are forgotten.
    const improved = [...Array.from({ length: 10 }, (_, i) => answer('old', 0, i)), ...Array.from({ length: 10 }, (_, i) => answer(`n${i}`, 1, 20 + i))];
    expect(chooseNextQuestion(bank, improved, at(40))?.targetDifficulty).toBe(1);
  });

  it('brings a question got wrong back after 10 minutes, then 20 and 40 after right answers, and drops it after 3', () => {
    const wrong = [answer('easy', 0, 0)];
    expect(reviewDueAt(wrong)).toEqual(at(10));
    expect(chooseNextQuestion(bank, wrong, at(9))?.questionId).not.toBe('easy');
    expect(chooseNextQuestion(bank, wrong, at(10))).toMatchObject({ questionId: 'easy', reason: 'review' });
    expect(reviewDueAt([...wrong, answer('easy', 1, 10)])).toEqual(at(30));
    expect(reviewDueAt([...wrong, answer('easy', 1, 10), answer('easy', 1, 30)])).toEqual(at(70));
    expect(reviewDueAt([...wrong, answer('easy', 1, 10), answer('easy', 1, 30), answer('easy', 1, 70)])).toBeUndefined();
    // Partly right counts as wrong; a new mistake starts over.
    expect(reviewDueAt([...wrong, answer('easy', 1, 10), answer('easy', 0.5, 30)])).toEqual(at(40));
  });

  it('takes the most overdue review first and otherwise questions not yet seen', () => {
    const history = [answer('hard', 0, 0), answer('easy', 0, 5)];
    expect(chooseNextQuestion(bank, history, at(60))).toMatchObject({ questionId: 'hard', reason: 'review' });
    expect(chooseNextQuestion(bank, history, at(8))).toMatchObject({ questionId: 'medium', reason: 'adaptive' });
    expect(chooseNextQuestion([bank[0]!], [answer('easy', 0, 0)], at(1))).toBeUndefined();
  });
});

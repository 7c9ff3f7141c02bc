/**
 * The adaptive practice rule, in three steps:
 *
 * 1. Review first (spaced repetition). A question whose latest wrong answer (fraction < 1) has been
 *    followed by fewer than 3 right answers is in review. It is due 10 minutes after the learner's
 *    last answer to it, doubled for each right answer since the wrong one (10, 20, 40 minutes).
 *    The most overdue review comes first.
 * 2. Otherwise, difficulty follows the learner: the target difficulty is the learner's success rate
 *    over their last 10 answers in the course (0.5 with no history). Doing well brings harder
 *    questions; struggling brings easier ones.
 * 3. A question's difficulty is 1 − its smoothed success rate over every learner's answers,
 *    (sum of fractions + 1) / (answers + 2), so an unseen question counts as 0.5. Among questions
 *    not in review, those the learner has not answered yet go first; then the difficulty closest to
 *    the target wins, ties to the one the learner answered least.
 */
export interface PracticeAnswer {
  questionId: string;
  fraction: number;
  answeredAt: Date;
}

export interface PracticeCandidate {
  id: string;
  /** Every learner's answers to it: how many, and the sum of their fractions. */
  answers: number;
  fractionSum: number;
}

export interface NextQuestion {
  questionId: string;
  reason: 'review' | 'adaptive';
  difficulty: number;
  targetDifficulty: number;
}

export const REVIEW_BASE_MINUTES = 10;
export const REVIEW_RIGHT_ANSWERS_TO_LEAVE = 3;
export const RECENT_ANSWERS = 10;

export const difficultyOf = (candidate: PracticeCandidate) => 1 - (candidate.fractionSum + 1) / (candidate.answers + 2);
const isRight = (answer: PracticeAnswer) => answer.fraction >= 1;

/** When the question is next due for review, or undefined when it is not in review. */
export function reviewDueAt(answersToQuestion: PracticeAnswer[]): Date | undefined {
  const lastWrong = answersToQuestion.findLastIndex((answer) => !isRight(answer));
  if (lastWrong === -1) return undefined;
  const rightSince = answersToQuestion.length - 1 - lastWrong;
  if (rightSince >= REVIEW_RIGHT_ANSWERS_TO_LEAVE) return undefined;
  const last = answersToQuestion.at(-1)!.answeredAt;
  return new Date(last.getTime() + REVIEW_BASE_MINUTES * 60_000 * 2 ** rightSince);
}

/** `history`: the learner's answers in the course, oldest first. */
export function chooseNextQuestion(candidates: PracticeCandidate[], history: PracticeAnswer[], now: Date): NextQuestion | undefined {
  if (candidates.length === 0) return undefined;
  const recent = history.slice(-RECENT_ANSWERS);
  const targetDifficulty = recent.length === 0 ? 0.5 : recent.reduce((sum, answer) => sum + answer.fraction, 0) / recent.length;
  const byQuestion = new Map<string, PracticeAnswer[]>();
  for (const answer of history) byQuestion.set(answer.questionId, [...(byQuestion.get(answer.questionId) ?? []), answer]);

  const inReview = new Map(candidates.map((candidate) => [candidate.id, reviewDueAt(byQuestion.get(candidate.id) ?? [])]));
  const due = candidates
    .filter((candidate) => (inReview.get(candidate.id)?.getTime() ?? Number.POSITIVE_INFINITY) <= now.getTime())
    .sort((a, b) => inReview.get(a.id)!.getTime() - inReview.get(b.id)!.getTime());
  if (due[0]) return { questionId: due[0].id, reason: 'review', difficulty: difficultyOf(due[0]), targetDifficulty };

  const pool = candidates.filter((candidate) => !inReview.get(candidate.id));
  if (pool.length === 0) return undefined;
  const seen = (candidate: PracticeCandidate) => byQuestion.get(candidate.id)?.length ?? 0;
  const unseen = pool.filter((candidate) => seen(candidate) === 0);
  const choices = unseen.length > 0 ? unseen : pool;
  const best = [...choices].sort(
    (a, b) => Math.abs(difficultyOf(a) - targetDifficulty) - Math.abs(difficultyOf(b) - targetDifficulty) || seen(a) - seen(b) || a.id.localeCompare(b.id),
  )[0]!;
  return { questionId: best.id, reason: 'adaptive', difficulty: difficultyOf(best), targetDifficulty };
}

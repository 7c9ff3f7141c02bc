import { definePlugin } from '../../core/plugin-api.js';
import { AttemptService, LTI_SCORE_MAXIMUM } from './attempts/attempt-service.js';
import { QuestionBank } from './banks/question-bank.js';
import { QuizStore } from './banks/quiz-store.js';
import banksAndAttempts from './migrations/0001-banks-and-attempts.js';
import practiceMigration from './migrations/0002-practice.js';
import { PracticeService } from './practice/practice-service.js';
import { attemptRoutes } from './routes/attempt-routes.js';
import { bankRoutes } from './routes/bank-routes.js';
import { practiceRoutes } from './routes/practice-routes.js';

/** Question banks per course (Moodle XML and GIFT), quizzes, scored attempts, grades to the LMS, adaptive practice. */
export default definePlugin({
  manifest: {
    id: 'quiz',
    name: 'Quizzes',
    description: 'Question banks per course with Moodle XML and GIFT import and export, quizzes, attempts and grades to the LMS gradebook.',
    version: '0.1.0',
    coreRange: '>=0.1.0 <1.0.0',
    capabilities: {
      'quiz:manage': { description: 'Edit question banks and quizzes, import and export them (sees the answers)', defaultRoles: ['instructor'] },
      'quiz:attempt': { description: 'Take quizzes', defaultRoles: ['learner', 'instructor'] },
    },
    lti: {
      contentItems: [
        { id: 'quiz', title: 'Quiz', description: 'A graded quiz of the course', gradable: { scoreMaximum: LTI_SCORE_MAXIMUM, label: 'Quiz' } },
      ],
    },
  },
  migrations: [banksAndAttempts, practiceMigration],

  register(ctx) {
    const bank = new QuestionBank(ctx);
    const quizzes = new QuizStore(ctx);
    bankRoutes(ctx, { bank, quizzes });
    attemptRoutes(ctx, { attempts: new AttemptService(ctx, bank, quizzes) });
    practiceRoutes(ctx, { practice: new PracticeService(ctx, bank) });
  },
});

import { z } from 'zod';

/** What a learner answers; which field counts depends on the question's type (see score-response.ts). */
export const responseSchema = z
  .object({
    /** multichoice: indexes of the chosen answers (one for a single-answer question). */
    choices: z.array(z.number().int().min(0).max(49)).max(50).optional(),
    /** truefalse. */
    value: z.boolean().optional(),
    /** shortanswer, numerical (a number, optionally followed by a unit), essay. */
    text: z.string().max(50_000).optional(),
    /** matching: the answer chosen for each sub-question, in order (sub-questions without text excluded). */
    matches: z.array(z.string().max(1000).nullable()).max(50).optional(),
  })
  .strict();

export type QuestionResponse = z.infer<typeof responseSchema>;

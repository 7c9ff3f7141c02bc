import { z } from 'zod';

/** A course is the tenant's own key for it: an enrollment course id, or the LTI context of a launch. */
export const courseId = z.string().min(1).max(200);
export const courseParams = z.object({ courseId });
export const questionParams = z.object({ courseId, id: z.uuid() });
export const bankFormat = z.enum(['moodle-xml', 'gift']);

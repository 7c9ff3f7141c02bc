import { definePlugin, type ModelSettings, type PluginContext } from '../../core/plugin-api.js';
import { AskService } from './answering/ask-service.js';
import { MaterialService } from './materials/material-service.js';
import { MaterialPipeline } from './materials/pipeline.js';
import materialsMigration from './migrations/0001-materials.js';
import conversationsMigration from './migrations/0002-conversations.js';
import { type ResolverDeps, resolveTutorProviders, type TutorProviders, vectorsMigration } from './providers/index.js';
import { CourseIndexes } from './retrieval/course-indexes.js';
import { Retriever } from './retrieval/retriever.js';
import { askRoutes } from './routes/ask-routes.js';
import { insightRoutes } from './routes/insight-routes.js';
import { materialRoutes } from './routes/material-routes.js';
import { readingPage } from './routes/reading-page.js';
import { TutorRuntime } from './runtime.js';
import { tutorSettingsSchema } from './settings.js';

export interface TutorPluginOptions {
  /** Builds the model providers from the deployment's settings (default: the environment's). */
  resolveProviders?: (settings: ModelSettings, deps: ResolverDeps) => Promise<TutorProviders>;
}

/**
 * The AI tutor: instructors upload course materials, jobs turn them into searchable passages, and
 * learners get answers grounded in them, with citations, streamed. Works with no model at all
 * (lexical search, extractive answers) and uses embedding, chat and transcription models when the
 * deployment configures them.
 */
export function createTutorPlugin(options: TutorPluginOptions = {}) {
  const resolveProviders = options.resolveProviders ?? resolveTutorProviders;
  // One runtime per plugin context (tests boot several kernels in one process). `stop()` receives no
  // context, so it closes every runtime this plugin started; one process runs one kernel in production.
  const runtimes = new Map<PluginContext, TutorRuntime>();
  return definePlugin({
    manifest: {
      id: 'ai-tutor',
      name: 'AI tutor',
      description: 'Answers questions from the course materials, with citations; streams over SSE.',
      version: '1.0.0',
      coreRange: '>=0.1.0 <1.0.0',
      capabilities: {
        'ai-tutor:ask': { description: 'Ask the course tutor and read your own conversations', defaultRoles: ['learner', 'instructor', 'guest'], risk: ['cost'] },
        'ai-tutor:manage': { description: "Manage a course's tutor materials and read the questions asked", defaultRoles: ['instructor'], risk: ['pii'] },
      },
      settings: { schema: tutorSettingsSchema },
      widgets: [{ tag: 'osv-tutor', entry: 'widgets/tutor.js' }],
      lti: {
        contentItems: [
          { id: 'tutor', title: 'AI tutor', description: 'Answers questions from the course materials, with citations.', widget: 'osv-tutor' },
        ],
      },
    },
    migrations: [materialsMigration, conversationsMigration, vectorsMigration],

    register(ctx) {
      const runtime = new TutorRuntime();
      runtimes.set(ctx, runtime);
      const pipeline = new MaterialPipeline(ctx, runtime);
      pipeline.define();
      const retriever = new Retriever({ indexes: new CourseIndexes(), embedding: () => runtime.embedding, vectorStore: () => runtime.vectorStore, log: ctx.log });
      materialRoutes(ctx, new MaterialService(ctx, pipeline, runtime));
      askRoutes(ctx, new AskService(ctx, runtime, retriever));
      insightRoutes(ctx);
      readingPage(ctx);
    },

    async start(ctx) {
      const runtime = runtimes.get(ctx)!;
      runtime.providers = await resolveProviders(ctx.platform.models, { log: ctx.log, db: ctx.db });
      ctx.log.info(runtime.providers.describe(), 'tutor models');
    },

    async stop() {
      const stopping = [...runtimes.values()];
      runtimes.clear();
      await Promise.all(stopping.map((runtime) => runtime.close()));
    },
  });
}

export default createTutorPlugin();

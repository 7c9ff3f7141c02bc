import { OsvError, type PluginContext, type PluginCounter, type Principal } from '../../../core/plugin-api.js';
import type { TutorCitationEvent } from '../../../widgets/src/api-types.js';
import { resolveCourse } from '../courses.js';
import type { Passage } from '../retrieval/lexical-index.js';
import type { Retriever } from '../retrieval/retriever.js';
import type { TutorRuntime } from '../runtime.js';
import { tutorSettings } from '../settings.js';
import { AnswerCache, type CachedAnswer } from './answer-cache.js';
import { citationOf, citedNumbers } from './citations.js';
import { askerOf, Conversations } from './conversations.js';
import { type AnswerLocale, extractiveAnswer, notCoveredAnswer, streamPieces } from './extractive-answer.js';
import { buildAnswerPrompt } from './prompt.js';
import type { AnswerStream } from './sse.js';
import { UsageBudget } from './usage-budget.js';

const PASSAGES = 5;
const MAX_ANSWER_TOKENS = 600;

/** Why an answer is not the best the deployment can give. */
export type DegradedReason = 'vectors' | 'model' | 'model-budget' | 'cache';

export interface AskInput {
  principal: Principal;
  courseId: string | undefined;
  question: string;
  conversationId: string | undefined;
  locale: AnswerLocale;
  signal: AbortSignal;
}

interface Answer extends CachedAnswer {
  degraded: DegradedReason[];
}

/** Retrieve, answer (model or extractive), cite, remember: one question of one learner. */
export class AskService {
  private readonly conversations: Conversations;
  private readonly budget: UsageBudget;
  private readonly cache: AnswerCache;
  private readonly questionsCounter: PluginCounter;
  private readonly degradedCounter: PluginCounter;

  constructor(
    private readonly ctx: PluginContext,
    private readonly runtime: TutorRuntime,
    private readonly retriever: Retriever,
  ) {
    this.conversations = new Conversations(ctx);
    this.budget = new UsageBudget(ctx);
    this.cache = new AnswerCache(ctx.cache);
    this.questionsCounter = ctx.metrics.counter('questions_total', 'Questions answered by the tutor, by answerer and whether the materials covered them', ['answerer', 'answered']);
    this.degradedCounter = ctx.metrics.counter('degraded_answers_total', 'Answers given below the configured tier, by reason', ['reason']);
  }

  /** Checks everything that can be refused with a plain HTTP error, before the stream opens. */
  async prepare(input: AskInput): Promise<{ tenantId: string; courseId: string; conversationId: string; earlierQuestions: string[]; answerCacheSeconds: number; modelTokensPerMonth: number }> {
    const { principal } = input;
    const tenantId = principal.tenantId;
    const settings = tutorSettings(await this.ctx.settings(tenantId));
    if (principal.kind === 'publishable' && !settings.allowAnonymousQuestions) {
      throw new OsvError('OSV_ERR_FORBIDDEN', 'Sign in to ask the tutor: this site does not take anonymous questions');
    }
    const courseId = resolveCourse(this.ctx, principal, input.courseId);
    await this.budget.takeQuestion(tenantId, settings.questionsPerMonth);
    const conversation = await this.conversations.open(tenantId, courseId, askerOf(principal), input.conversationId);
    return {
      tenantId,
      courseId,
      conversationId: conversation.id,
      earlierQuestions: conversation.earlierQuestions,
      answerCacheSeconds: settings.answerCacheSeconds,
      modelTokensPerMonth: settings.modelTokensPerMonth,
    };
  }

  async answer(input: AskInput, prepared: Awaited<ReturnType<AskService['prepare']>>, stream: AnswerStream): Promise<void> {
    const { tenantId, courseId } = prepared;
    const scope = this.ctx.db.forTenant(tenantId);
    const retrieval = await this.retriever.retrieve(scope, courseId, input.question, PASSAGES, input.signal);
    const degraded: DegradedReason[] = retrieval.degraded ? ['vectors'] : [];
    const firstTurn = prepared.earlierQuestions.length === 0;
    const cacheKey = this.cache.key(tenantId, courseId, retrieval.contentVersion, input.locale, input.question);
    const cached = firstTurn && !retrieval.degraded ? await this.cache.get(cacheKey) : undefined;
    if (cached?.degraded) degraded.push('cache');

    let answer: Answer;
    if (cached?.value) {
      answer = { ...cached.value, degraded };
      this.replay(answer, stream);
    } else {
      answer = await this.compose(input, prepared, retrieval.relevant ? retrieval.passages.map((hit) => hit.passage) : [], degraded, stream);
      if (firstTurn && answer.degraded.length === 0) {
        const stored = await this.cache.set(cacheKey, { text: answer.text, citations: answer.citations, answered: answer.answered, answerer: answer.answerer }, prepared.answerCacheSeconds);
        if (stored.degraded) answer.degraded.push('cache');
      }
    }
    const turnId = await this.conversations.record(tenantId, courseId, prepared.conversationId, { question: input.question, answer: answer.text, ...answer });
    this.questionsCounter.inc({ answerer: answer.answerer, answered: String(answer.answered) });
    for (const reason of answer.degraded) this.degradedCounter.inc({ reason });
    stream.send({
      event: 'done',
      data: {
        conversationId: prepared.conversationId,
        turnId,
        answered: answer.answered,
        answerer: answer.answerer,
        degraded: answer.degraded.length > 0,
        ...(answer.degraded.length > 0 ? { degradedReasons: answer.degraded } : {}),
      },
    });
  }

  private replay(answer: CachedAnswer, stream: AnswerStream): void {
    for (const text of streamPieces(answer.text)) stream.send({ event: 'token', data: { text } });
    for (const citation of answer.citations) stream.send({ event: 'citation', data: citation });
  }

  private async compose(
    input: AskInput,
    prepared: Awaited<ReturnType<AskService['prepare']>>,
    passages: Passage[],
    degraded: DegradedReason[],
    stream: AnswerStream,
  ): Promise<Answer> {
    if (passages.length === 0) {
      const text = notCoveredAnswer(input.locale);
      for (const piece of streamPieces(text)) stream.send({ event: 'token', data: { text: piece } });
      return { text, citations: [], answered: false, answerer: 'none', degraded };
    }
    const chat = this.runtime.chat;
    if (chat) {
      if ((await this.budget.modelTokensLeft(prepared.tenantId, prepared.modelTokensPerMonth)) <= 0) degraded.push('model-budget');
      else {
        const written = await this.modelAnswer(input, prepared, passages, stream);
        if (written) return { ...written, degraded };
        degraded.push('model');
      }
    }
    const { text, cited } = extractiveAnswer(input.question, passages, input.locale);
    for (const piece of streamPieces(text)) stream.send({ event: 'token', data: { text: piece } });
    const citations = passages.slice(0, cited).map((passage, index) => citationOf(this.ctx.platform.publicUrl, prepared.tenantId, passage, index + 1));
    for (const citation of citations) stream.send({ event: 'citation', data: citation });
    return { text, citations, answered: true, answerer: 'extractive', degraded };
  }

  /** The chat model's answer, streamed; undefined when the model failed before writing anything. */
  private async modelAnswer(
    input: AskInput,
    prepared: Awaited<ReturnType<AskService['prepare']>>,
    passages: Passage[],
    stream: AnswerStream,
  ): Promise<CachedAnswer | undefined> {
    const messages = buildAnswerPrompt({ question: input.question, passages, earlierQuestions: prepared.earlierQuestions });
    let text = '';
    let tokens = 0;
    try {
      for await (const delta of this.runtime.chat!.stream(messages, { maxTokens: MAX_ANSWER_TOKENS, temperature: 0.2, signal: input.signal })) {
        if (delta.text) {
          text += delta.text;
          stream.send({ event: 'token', data: { text: delta.text } });
        }
        if (delta.usage) tokens = delta.usage.promptTokens + delta.usage.completionTokens;
      }
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'the chat model failed; answering extractively');
      if (text === '') return undefined;
      stream.send({ event: 'token', data: { text: ' …' } });
    }
    if (text.trim() === '') return undefined;
    await this.budget.spendModelTokens(prepared.tenantId, tokens || Math.ceil((messages.reduce((sum, message) => sum + message.content.length, 0) + text.length) / 4));
    const numbers = citedNumbers(text, passages.length);
    const citations: TutorCitationEvent[] = (numbers.length > 0 ? numbers : passages.map((_, index) => index + 1)).map((number) =>
      citationOf(this.ctx.platform.publicUrl, prepared.tenantId, passages[number - 1]!, number),
    );
    for (const citation of citations) stream.send({ event: 'citation', data: citation });
    return { text, citations, answered: true, answerer: 'model' };
  }
}

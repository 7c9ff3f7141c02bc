import { OsvError, type PluginContext } from '../../../core/plugin-api.js';
import { TABLES } from '../tables.js';

function period(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

/** Per-tenant monthly counters: questions asked and model tokens spent. */
export class UsageBudget {
  constructor(private readonly ctx: PluginContext) {}

  /** Counts a question; refuses it with a 429 when the month's questions are spent. */
  async takeQuestion(tenantId: string, questionsPerMonth: number): Promise<void> {
    const [row] = await this.ctx.db.forTenant(tenantId).query<{ questions: number }>(
      `INSERT INTO ${TABLES.usage} (tenant_id, period, questions) VALUES ($1, $2, 1)
       ON CONFLICT (tenant_id, period) DO UPDATE SET questions = ${TABLES.usage}.questions + 1
       WHERE ${TABLES.usage}.questions < $3
       RETURNING questions`,
      [period(), questionsPerMonth],
    );
    if (!row || row.questions > questionsPerMonth) {
      throw new OsvError(
        'OSV_ERR_TUTOR_BUDGET_SPENT',
        `This site's tutor has answered its ${questionsPerMonth} questions for this month; it answers again next month, or sooner if an administrator raises questionsPerMonth`,
      );
    }
  }

  async modelTokensLeft(tenantId: string, modelTokensPerMonth: number): Promise<number> {
    const [row] = await this.ctx.db
      .forTenant(tenantId)
      .query<{ model_tokens: number }>(`SELECT model_tokens FROM ${TABLES.usage} WHERE tenant_id = $1 AND period = $2`, [period()]);
    return modelTokensPerMonth - (row?.model_tokens ?? 0);
  }

  async spendModelTokens(tenantId: string, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    await this.ctx.db.forTenant(tenantId).query(
      `INSERT INTO ${TABLES.usage} (tenant_id, period, model_tokens) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, period) DO UPDATE SET model_tokens = ${TABLES.usage}.model_tokens + $3`,
      [period(), tokens],
    );
  }
}

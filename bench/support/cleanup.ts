import { progress } from './progress.js';

type Undo = () => Promise<unknown> | unknown;
type Step = { label: string; undo: Undo };

/**
 * Undo steps for everything the benchmark starts or creates. `add` returns a release function that
 * runs the step now (the normal path); whatever was not released runs, last-in first-out, in `run`.
 */
export class Cleanup {
  private readonly steps: Step[] = [];
  private running: Promise<boolean> | undefined;

  add(label: string, undo: Undo): () => Promise<void> {
    const step = { label, undo };
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index === -1) return;
      this.steps.splice(index, 1);
      await step.undo();
    };
  }

  /** Runs every remaining step even if some fail; returns whether all succeeded. Concurrent callers share one run. */
  run(): Promise<boolean> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<boolean> {
    let clean = true;
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.undo();
      } catch (error) {
        clean = false;
        progress(`cleanup "${step.label}" failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return clean;
  }
}

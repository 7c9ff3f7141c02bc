import type { Response } from 'express';
import type { TutorStreamEvent } from '../../../widgets/src/api-types.js';

/** The answer's server-sent event stream (contract: widgets/src/api-types.ts). */
export class AnswerStream {
  constructor(private readonly res: Response) {}

  open(): void {
    this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    this.res.write(': stream open\n\n');
  }

  get closed(): boolean {
    return this.res.writableEnded || this.res.destroyed;
  }

  send({ event, data }: TutorStreamEvent): void {
    if (!this.closed) this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    if (!this.closed) this.res.end();
  }
}

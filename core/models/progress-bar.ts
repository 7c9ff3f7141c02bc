const WIDTH = 30;

/** One line per file on a terminal, redrawn in place: `name [=====>    ] 42% 12.3/29.1 MB`. */
export class ProgressBar {
  private lastDrawn = -1;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly label: string,
    private readonly total: number | undefined,
  ) {}

  update(done: number): void {
    const percent = this.total ? Math.floor((done / this.total) * 100) : 0;
    // Redraw on each new percent only: a 100 MB file arrives in thousands of chunks.
    if (percent === this.lastDrawn && this.total) return;
    this.lastDrawn = percent;
    this.draw(done, percent, false);
  }

  finish(done: number): void {
    this.draw(done, 100, true);
  }

  private draw(done: number, percent: number, last: boolean): void {
    const filled = Math.round((percent / 100) * WIDTH);
    const bar = this.total ? `[${'='.repeat(filled)}${filled < WIDTH ? '>' : ''}${' '.repeat(Math.max(0, WIDTH - filled - 1))}] ${String(percent).padStart(3)}%` : '';
    const size = this.total ? `${megabytes(done)}/${megabytes(this.total)} MB` : `${megabytes(done)} MB`;
    this.out.write(`\r${this.label} ${bar} ${size}${last ? '\n' : ''}`);
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}

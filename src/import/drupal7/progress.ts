/**
 * Progress of an import: on a terminal a bar per step with rows done, rate and ETA (cli-progress); elsewhere
 * (logs, CI, tests) one line per finished step.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  begin(step: string, total: number): void;
  advance(rows: number): void;
  end(): void;
}

export const silentProgress: Progress = { begin() {}, advance() {}, end() {} };

/** A bar on `stream` when it is a TTY, plain step lines otherwise. */
export function createProgress(stream: NodeJS.WriteStream = process.stdout): Progress {
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream);
}

class BarProgress implements Progress {
  private bar: cliProgress.SingleBar | null = null;
  private started = 0;
  private done = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  begin(step: string, total: number): void {
    this.started = Date.now();
    this.done = 0;
    this.bar = new cliProgress.SingleBar({
      stream: this.stream,
      format: `${step.padEnd(16)} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}`,
      etaBuffer: 50,
      hideCursor: true,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(Math.max(total, 0), 0, { rate: 0 });
  }

  advance(rows: number): void {
    this.done += rows;
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    this.bar?.update(this.done, { rate: Math.round(this.done / seconds) });
  }

  end(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

class LineProgress implements Progress {
  private step = '';
  private started = 0;
  private done = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  begin(step: string): void { this.step = step; this.started = Date.now(); this.done = 0; }
  advance(rows: number): void { this.done += rows; }
  end(): void {
    const seconds = (Date.now() - this.started) / 1000;
    this.stream.write(`${this.step}: ${this.done} rows in ${seconds.toFixed(1)} s (${Math.round(this.done / Math.max(seconds, 0.001))} rows/s)\n`);
  }
}

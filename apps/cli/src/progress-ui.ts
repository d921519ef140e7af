import cliProgress from 'cli-progress';
import type { ProgressEvent } from '@chunkwise/core';
import { printNote } from './output.js';
import { neutraliseControls } from './terminal-text.js';

/**
 * Progress on stderr: a bar per stage when stderr is a terminal, one line per finished stage
 * otherwise (CI logs, pipes), and nothing at all when quiet. stdout stays clean for --json.
 */
export class ProgressUI {
  private readonly multibar: cliProgress.MultiBar | undefined;
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  private readonly quiet: boolean;

  constructor(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}) {
    const stream = options.stream ?? process.stderr;
    this.quiet = options.quiet ?? false;
    if (!this.quiet && stream.isTTY) {
      this.multibar = new cliProgress.MultiBar(
        {
          stream,
          format: ' {stage} |{bar}| {percentage}% {value}/{total} {unit}',
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false,
          barsize: 30,
          fps: 12,
        },
        cliProgress.Presets.shades_classic,
      );
    }
  }

  /** Feeds one library progress event to the bar of its stage. */
  readonly onProgress = (event: ProgressEvent): void => {
    if (!this.multibar) return;
    const label = event.stage.padEnd(8);
    let bar = this.bars.get(event.stage);
    const total = event.total ?? Math.max(event.done, 1);
    if (!bar) {
      bar = this.multibar.create(total, 0, { stage: label, unit: event.unit ?? '' });
      this.bars.set(event.stage, bar);
    }
    bar.setTotal(total);
    bar.update(event.done, { stage: label, unit: event.unit ?? '' });
  };

  /** Marks a stage finished; without a terminal this prints its one line. */
  stageDone(stage: string, summary: string, ms: number): void {
    if (this.quiet) return;
    if (this.multibar) {
      const bar = this.bars.get(stage);
      if (bar) bar.update(bar.getTotal(), { stage: stage.padEnd(8), unit: neutraliseControls(`${summary} (${formatMs(ms)})`, false) });
      else this.multibar.log(neutraliseControls(`${stage}: ${summary} (${formatMs(ms)})`, false) + '\n');
      return;
    }
    printNote(`✔ ${stage}: ${summary} (${formatMs(ms)})\n`);
  }

  stop(): void {
    this.multibar?.stop();
  }
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

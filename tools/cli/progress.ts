/*
 * Progress bars on stderr for long work (backup, restore, verify), drawn with cli-progress. Only when
 * stderr is a terminal and the output is not --json; otherwise a view that draws nothing.
 */
import * as cliProgress from 'cli-progress';
import { formatBytes, formatDuration } from './format';

export interface ProgressView {
  /** Starts (or restarts) the bar for a phase, e.g. 'backup', with a byte total (0 when unknown). */
  begin(label: string, totalBytes: number): void;
  /** bytesDone of totalBytes, plus a short status such as '3/7 apps'. */
  update(bytesDone: number, totalBytes: number, status: string, etaMs: number, bytesPerSecond: number): void;
  /** Removes the bar so the summary that follows starts on a clean line. */
  end(): void;
}

export class NoProgress implements ProgressView {
  begin(label: string, totalBytes: number): void {
  }

  update(bytesDone: number, totalBytes: number, status: string, etaMs: number, bytesPerSecond: number): void {
  }

  end(): void {
  }
}

/* Names cli-progress does not reserve (value, total, eta, percentage, duration are its own). */
interface BarPayload {
  label: string;
  doneText: string;
  totalText: string;
  status: string;
  speedText: string;
  etaText: string;
}

function payloadOf(label: string, bytesDone: number, totalBytes: number, status: string, etaMs: number,
  bytesPerSecond: number): BarPayload {
  return {
    label,
    doneText: formatBytes(bytesDone),
    totalText: totalBytes > 0 ? formatBytes(totalBytes) : '?',
    status,
    speedText: bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '',
    etaText: etaMs >= 0 ? `ETA ${formatDuration(etaMs)}` : '',
  };
}

export class TtyProgress implements ProgressView {
  private bar: cliProgress.SingleBar | undefined = undefined;
  private label: string = '';
  private readonly stream: NodeJS.WriteStream;

  constructor(stream: NodeJS.WriteStream) {
    this.stream = stream;
  }

  begin(label: string, totalBytes: number): void {
    this.end();
    const bar = new cliProgress.SingleBar({
      stream: this.stream,
      format: '{label} [{bar}] {percentage}% | {doneText} of {totalText} | {status} {speedText} {etaText}',
      barCompleteChar: '#',
      barIncompleteChar: '-',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      fps: 10,
    });
    this.label = label.padEnd(7);
    bar.start(Math.max(1, totalBytes), 0, payloadOf(this.label, 0, totalBytes, '', -1, 0));
    this.bar = bar;
  }

  update(bytesDone: number, totalBytes: number, status: string, etaMs: number, bytesPerSecond: number): void {
    const bar = this.bar;
    if (bar === undefined) {
      return;
    }
    // The total is an estimate (the capability file's sizes) and may be passed by the real bytes.
    bar.setTotal(Math.max(1, totalBytes, bytesDone));
    bar.update(bytesDone, payloadOf(this.label, bytesDone, totalBytes, status, etaMs, bytesPerSecond));
  }

  end(): void {
    const bar = this.bar;
    if (bar !== undefined) {
      this.bar = undefined;
      bar.stop();
    }
  }
}

export function progressFor(json: boolean, stream: NodeJS.WriteStream): ProgressView {
  return !json && stream.isTTY === true ? new TtyProgress(stream) : new NoProgress();
}

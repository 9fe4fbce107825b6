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

interface BarPayload {
  label: string;
  done: string;
  total: string;
  status: string;
  speed: string;
  eta: string;
}

export class TtyProgress implements ProgressView {
  private bar: cliProgress.SingleBar | undefined = undefined;
  private readonly stream: NodeJS.WriteStream;

  constructor(stream: NodeJS.WriteStream) {
    this.stream = stream;
  }

  begin(label: string, totalBytes: number): void {
    this.end();
    const bar = new cliProgress.SingleBar({
      stream: this.stream,
      format: '{label} [{bar}] {percentage}% | {done} of {total} | {status} | {speed} | {eta}',
      barCompleteChar: '#',
      barIncompleteChar: '-',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      fps: 10,
      etaBuffer: 50,
    });
    const payload: BarPayload = {
      label, done: formatBytes(0), total: totalBytes > 0 ? formatBytes(totalBytes) : '?', status: '',
      speed: '', eta: '',
    };
    bar.start(Math.max(1, totalBytes), 0, payload);
    this.bar = bar;
  }

  update(bytesDone: number, totalBytes: number, status: string, etaMs: number, bytesPerSecond: number): void {
    const bar = this.bar;
    if (bar === undefined) {
      return;
    }
    if (totalBytes > 0) {
      bar.setTotal(Math.max(totalBytes, bytesDone));
    }
    const payload: BarPayload = {
      label: '',
      done: formatBytes(bytesDone),
      total: totalBytes > 0 ? formatBytes(totalBytes) : '?',
      status,
      speed: bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '',
      eta: etaMs >= 0 ? `ETA ${formatDuration(etaMs)}` : '',
    };
    bar.update(bytesDone, { done: payload.done, total: payload.total, status, speed: payload.speed, eta: payload.eta });
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

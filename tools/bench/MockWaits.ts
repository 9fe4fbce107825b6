/*
 * The mock service's clock in the throughput benchmark: ScaledClock's timers (every duration times the
 * scale), and a ledger of the simulated waits among them, so the bench can say how much of a run is the
 * mock waiting and not the engine working.
 *
 * A simulated wait is a timer of at most SHORT_WAIT_MS virtual ms: the mock's steps (connecting an
 * extension 250 ms, answering a file request 20 ms, releasing it 150 ms, the app's own onRestore/onBackup,
 * a capability file 300 ms). Longer timers are the service's timeouts (the extension's 15 minutes, the
 * connect timeout, the progress interval), which fire only when something hangs.
 *
 * With skipShortWaits the simulated waits fire on the next turn of the event loop instead (as setTimeout 0):
 * the same run with the mock's latencies taken out, everything else (and every timeout) unchanged. The
 * throughput bench runs the restore both ways in the same rounds; the difference of the two is what the
 * mock's waits cost the run, the critical path's share of `requested_ms` (which sums every wait, overlapping
 * ones too). Setting the scale to the waits' floor instead is no option: the timeouts would scale with them.
 */
import { Clock, ScaledClock, TimerTask } from '../../entry/src/main/ets/backup/port/Clock';

/** The longest timer (virtual ms) that counts as a simulated wait. */
export const SHORT_WAIT_MS = 1000;

export class MockWaitClock implements Clock {
  readonly scaled: ScaledClock;
  /** Fire simulated waits on the next turn instead of after their scaled time. */
  skipShortWaits: boolean = false;
  /** Real ms of every simulated wait started since reset() (as scheduled, overlapping waits each count). */
  requestedMs: number = 0;
  /** Simulated waits started since reset(). */
  waits: number = 0;

  constructor(scale: number) {
    this.scaled = new ScaledClock(scale);
  }

  reset(): void {
    this.requestedMs = 0;
    this.waits = 0;
  }

  now(): number {
    return this.scaled.now();
  }

  startTimer(delayMs: number, task: TimerTask): number {
    if (delayMs >= 0 && delayMs <= SHORT_WAIT_MS) {
      this.waits++;
      if (this.skipShortWaits) {
        return setTimeout(task, 0) as unknown as number;
      }
      // As ScaledClock schedules it (below 1 ms: setTimeout 0, which Node runs after about 1 ms).
      const realMs = delayMs * this.scaled.scale;
      this.requestedMs += realMs < 1 ? 1 : Math.round(realMs);
    }
    return this.scaled.startTimer(delayMs, task);
  }

  cancelTimer(id: number): void {
    this.scaled.cancelTimer(id);
  }
}

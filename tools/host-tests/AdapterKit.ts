/*
 * Shared by the host suites of the platform adapters (BundleLabels, BackgroundTask, PermissionState):
 * a logger that keeps what it was told (rendered as hilog would show it, public values only) and one
 * reset for the simulated device and every stand-in it drives.
 */
import { renderHilog } from '../host/ConsoleLogger';
import { hostDevice } from '../host/HostDevice';
import { hostAbility } from '@kit.AbilityKit';
import { hostBackgroundTasks } from '@kit.BackgroundTasksKit';
import { hostNotifications } from '@kit.NotificationKit';
import { hostBundleResources } from '@ohos.bundle.bundleResourceManager';
import { hostWorkScheduler } from '@ohos.resourceschedule.workScheduler';
import { hostBattery } from '@kit.BasicServicesKit';
import type { LogArg, Logger } from '../../entry/src/main/ets/backup/port/Logger';

export class RecordingLogger implements Logger {
  readonly lines: string[] = [];

  debug(format: string, ...args: LogArg[]): void {
    this.lines.push(`D ${renderHilog(format, args, false)}`);
  }

  info(format: string, ...args: LogArg[]): void {
    this.lines.push(`I ${renderHilog(format, args, false)}`);
  }

  warn(format: string, ...args: LogArg[]): void {
    this.lines.push(`W ${renderHilog(format, args, false)}`);
  }

  error(format: string, ...args: LogArg[]): void {
    this.lines.push(`E ${renderHilog(format, args, false)}`);
  }

  /** The lines that contain text. */
  with(text: string): string[] {
    return this.lines.filter((l) => l.includes(text));
  }
}

/** Back to a correctly signed Backup Manager on a full device with nothing installed or running. */
export function resetHost(): void {
  hostDevice.reset();
  hostAbility.reset();
  hostBackgroundTasks.reset();
  hostNotifications.reset();
  hostBundleResources.reset();
  hostWorkScheduler.reset();
  hostBattery.reset();
}

/** What a promise rejected with (fails the test when it resolves). */
export async function rejectionOf(work: Promise<unknown>): Promise<Error & { code?: number }> {
  try {
    await work;
  } catch (e) {
    return e as Error & { code?: number };
  }
  throw new Error('expected a rejection, the call succeeded');
}

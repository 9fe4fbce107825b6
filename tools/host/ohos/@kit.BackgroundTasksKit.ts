/*
 * Host stand-in for the part of '@kit.BackgroundTasksKit' that platform/BackgroundTask.ets uses:
 * backgroundTaskManager.startBackgroundRunning(context, bgModes: string[], wantAgent) (promise of a
 * ContinuousTaskNotification, 12), stopBackgroundRunning(context) (promise, 9) and BackgroundMode, with
 * the shapes and codes of @arkts/declarations api/@ohos.resourceschedule.backgroundTaskManager.
 *
 * The simulated service (hostBackgroundTasks) keeps one continuous task per ability, as a device does:
 *  - start: 401 (synchronously) without a context, a string array of modes or a want agent; 201 when the
 *    app lacks ohos.permission.KEEP_BACKGROUND_RUNNING; 9800005 (continuous task verification failed)
 *    for a mode the ability does not declare in module.json5 or when the ability already runs a task;
 *    otherwise the system posts the task's notification (hostNotifications) and answers with its id,
 *    slot type and content type;
 *  - stop: 9800005 when the ability runs no task (a repeated cancel), otherwise the task and its
 *    notification end;
 *  - endTask(): the system ends the task on its own (the user removed its notification, or a data
 *    transfer whose progress did not move for 10 minutes).
 * Tests can queue failure codes for start and stop and read every call.
 */
import type official from '@arkts/declarations/dist/api/@ohos.resourceschedule.backgroundTaskManager';
import type officialNotification from '@arkts/declarations/dist/api/@ohos.notificationManager';
import { businessError, CODE_PERMISSION_DENIED, hostDevice, parameterError, PERMISSION_KEEP_BACKGROUND_RUNNING } from '../HostDevice';
import { hostNotifications, notificationManager } from './@kit.NotificationKit';

const VERIFICATION_FAILED = 9800005;

interface ContextLike {
  abilityInfo?: { name?: string };
}

export class ContinuousTask {
  constructor(readonly ability: string, readonly modes: string[], readonly wantAgent: object, readonly notificationId: number) {
  }
}

export class HostBackgroundTasks {
  /** Codes the next start calls reject with, in order (before any other check). */
  startFailures: number[] = [];
  /** Codes the next stop calls reject with, in order (before any other check). */
  stopFailures: number[] = [];
  /** What the system answers about the notification it posts for a task. */
  slotType: notificationManager.SlotType = notificationManager.SlotType.OTHER_TYPES;
  contentType: notificationManager.ContentType = notificationManager.ContentType.NOTIFICATION_CONTENT_BASIC_TEXT;
  /** Running tasks by ability name. */
  readonly tasks: Map<string, ContinuousTask> = new Map();
  /** Every call, as `name(args)` with `->` and the result or code. */
  calls: string[] = [];
  private nextNotificationId = 1;

  reset(): void {
    this.startFailures = [];
    this.stopFailures = [];
    this.slotType = notificationManager.SlotType.OTHER_TYPES;
    this.contentType = notificationManager.ContentType.NOTIFICATION_CONTENT_BASIC_TEXT;
    this.tasks.clear();
    this.calls = [];
    this.nextNotificationId = 1;
  }

  /** The system ends the ability's task on its own; its notification goes with it. */
  endTask(ability: string = hostDevice.abilityName): void {
    const task = this.tasks.get(ability);
    if (task !== undefined) {
      this.tasks.delete(ability);
      hostNotifications.remove(task.notificationId);
    }
  }

  start(context: ContextLike, bgModes: string[], wantAgent: object): Promise<official.ContinuousTaskNotification> {
    const ability = context.abilityInfo?.name ?? '';
    const failure = this.startFailures.shift();
    if (failure !== undefined) {
      return this.reject(`start(${JSON.stringify(bgModes)})`, failure, 'scripted start failure');
    }
    if (!hostDevice.isGranted(PERMISSION_KEEP_BACKGROUND_RUNNING)) {
      return this.reject(`start(${JSON.stringify(bgModes)})`, CODE_PERMISSION_DENIED, 'Permission denied.');
    }
    if (bgModes.length === 0 || bgModes.some((m) => !hostDevice.backgroundModes.includes(m)) || this.tasks.has(ability)) {
      return this.reject(`start(${JSON.stringify(bgModes)})`, VERIFICATION_FAILED, 'Continuous task verification failed.');
    }
    const id = this.nextNotificationId++;
    this.tasks.set(ability, new ContinuousTask(ability, [...bgModes], wantAgent, id));
    const posted = {
      id,
      notificationSlotType: this.slotType,
      content: { notificationContentType: this.contentType, normal: { title: hostDevice.bundleName, text: '' } },
    };
    hostNotifications.post(posted as unknown as officialNotification.NotificationRequest);
    this.calls.push(`start(${JSON.stringify(bgModes)}) -> ${id}`);
    const note = { slotType: this.slotType, contentType: this.contentType, notificationId: id };
    return Promise.resolve(note as unknown as official.ContinuousTaskNotification);
  }

  stop(context: ContextLike): Promise<void> {
    const ability = context.abilityInfo?.name ?? '';
    const failure = this.stopFailures.shift();
    if (failure !== undefined) {
      return this.reject('stop()', failure, 'scripted stop failure');
    }
    if (!this.tasks.has(ability)) {
      return this.reject('stop()', VERIFICATION_FAILED, 'Continuous task verification failed.');
    }
    this.endTask(ability);
    this.calls.push('stop() -> ok');
    return Promise.resolve();
  }

  private reject<T>(call: string, code: number, message: string): Promise<T> {
    this.calls.push(`${call} -> ${code}`);
    return Promise.reject(businessError(code, message));
  }
}

export const hostBackgroundTasks = new HostBackgroundTasks();

function checkContext(context: object): ContextLike {
  if (context === null || typeof context !== 'object') {
    throw parameterError('Mandatory parameters are left unspecified.');
  }
  return context as ContextLike;
}

export namespace backgroundTaskManager {
  export type ContinuousTaskNotification = official.ContinuousTaskNotification;

  export enum BackgroundMode {
    DATA_TRANSFER = 1,
    AUDIO_PLAYBACK = 2,
    AUDIO_RECORDING = 3,
    LOCATION = 4,
    BLUETOOTH_INTERACTION = 5,
    MULTI_DEVICE_CONNECTION = 6,
    VOIP = 8,
    TASK_KEEPING = 9
  }

  export function startBackgroundRunning(context: object, bgModes: string[], wantAgent: object): Promise<ContinuousTaskNotification> {
    const ctx = checkContext(context);
    if (!Array.isArray(bgModes) || bgModes.some((m) => typeof m !== 'string') || wantAgent === null || typeof wantAgent !== 'object') {
      throw parameterError('Incorrect parameter types.');
    }
    return hostBackgroundTasks.start(ctx, bgModes, wantAgent);
  }

  export function stopBackgroundRunning(context: object): Promise<void> {
    return hostBackgroundTasks.stop(checkContext(context));
  }
}

/*
 * Host stand-in for the part of '@kit.NotificationKit' that platform/BackgroundTask.ets uses:
 * notificationManager.publish(request) (promise, 9/12), isSupportTemplate(templateName) (promise, 9),
 * SlotType and ContentType, with the shapes and codes of @arkts/declarations api/@ohos.notificationManager.
 *
 * The simulated notification service (hostNotifications) keeps the app's active notifications by id
 * (publish on an existing id updates it, as on a device) and enforces the service's per-app flow control:
 * at most maxUpdatesPerSecond updates and maxCreatesPerSecond new notifications in any second (the
 * distributed_notification_service defaults, 20 and 10), counted over successful publishes on the
 * device clock (hostDevice.now); past that, publish rejects with 1600009. Notifications switched off for
 * the app: 1600004. An argument that is not a request with content throws 401 synchronously. Tests can
 * queue failure codes, and read every published request (a copy) with the time it was published.
 */
import type official from '@arkts/declarations/dist/api/@ohos.notificationManager';
import { businessError, hostDevice, parameterError } from '../HostDevice';

export class PublishedNotification {
  constructor(readonly at: number, readonly request: official.NotificationRequest, readonly update: boolean) {
  }
}

export class HostNotifications {
  /** The user allows this app's notifications. */
  enabled = true;
  maxUpdatesPerSecond = 20;
  maxCreatesPerSecond = 10;
  /** Templates isSupportTemplate confirms. */
  templates: Set<string> = new Set<string>(['downloadTemplate']);
  /** Codes the next publish calls reject with, in order (before any other check). */
  publishFailures: number[] = [];
  /** Code isSupportTemplate rejects with (undefined: it answers). */
  templateFailure: number | undefined = undefined;
  /** Every successful publish, in order. */
  published: PublishedNotification[] = [];
  /** Every publish that was refused, as `code@time`. */
  refused: string[] = [];
  /** The app's notifications on the device, by id. */
  readonly active: Map<number, official.NotificationRequest> = new Map();
  /** What the user answers in the dialog of requestEnableNotification (true: allow). */
  dialogAnswer = true;
  /** Code isNotificationEnabled rejects with (undefined: it answers). */
  enabledFailure: number | undefined = undefined;
  /** How often the dialog was shown. */
  dialogs = 0;

  reset(): void {
    this.enabled = true;
    this.maxUpdatesPerSecond = 20;
    this.maxCreatesPerSecond = 10;
    this.templates = new Set<string>(['downloadTemplate']);
    this.publishFailures = [];
    this.templateFailure = undefined;
    this.published = [];
    this.refused = [];
    this.active.clear();
    this.dialogAnswer = true;
    this.enabledFailure = undefined;
    this.dialogs = 0;
  }

  /** A notification the system posts for the app (a continuous task's): not counted against the app. */
  post(request: official.NotificationRequest): void {
    this.active.set(request.id ?? 0, copy(request));
  }

  remove(id: number): void {
    this.active.delete(id);
  }

  publish(request: official.NotificationRequest): Promise<void> {
    const now = hostDevice.now();
    const failure = this.publishFailures.shift();
    if (failure !== undefined) {
      return this.refuse(failure, now, 'scripted publish failure');
    }
    if (!this.enabled) {
      return this.refuse(1600004, now, 'Notification disabled.');
    }
    const id = request.id ?? 0;
    const update = this.active.has(id);
    const recent = this.published.filter((p) => p.update === update && p.at > now - 1000).length;
    if (recent >= (update ? this.maxUpdatesPerSecond : this.maxCreatesPerSecond)) {
      return this.refuse(1600009, now, 'The notification sending frequency reaches the upper limit.');
    }
    const kept = copy(request);
    this.active.set(id, kept);
    this.published.push(new PublishedNotification(now, kept, update));
    return Promise.resolve();
  }

  private refuse(code: number, now: number, message: string): Promise<void> {
    this.refused.push(`${code}@${now}`);
    return Promise.reject(businessError(code, message));
  }
}

function copy(request: official.NotificationRequest): official.NotificationRequest {
  return JSON.parse(JSON.stringify(request)) as official.NotificationRequest;
}

export const hostNotifications = new HostNotifications();

export namespace notificationManager {
  export type NotificationRequest = official.NotificationRequest;
  export type NotificationContent = official.NotificationContent;
  export type NotificationTemplate = official.NotificationTemplate;

  export enum SlotType {
    UNKNOWN_TYPE = 0,
    SOCIAL_COMMUNICATION = 1,
    SERVICE_INFORMATION = 2,
    CONTENT_INFORMATION = 3,
    LIVE_VIEW = 4,
    CUSTOMER_SERVICE = 5,
    OTHER_TYPES = 0xFFFF
  }

  export enum ContentType {
    NOTIFICATION_CONTENT_BASIC_TEXT,
    NOTIFICATION_CONTENT_LONG_TEXT,
    NOTIFICATION_CONTENT_PICTURE,
    NOTIFICATION_CONTENT_CONVERSATION,
    NOTIFICATION_CONTENT_MULTILINE,
    NOTIFICATION_CONTENT_SYSTEM_LIVE_VIEW,
    NOTIFICATION_CONTENT_LIVE_VIEW
  }

  export function publish(request: NotificationRequest): Promise<void> {
    if (request === null || typeof request !== 'object' || request.content === null || typeof request.content !== 'object') {
      throw parameterError('Mandatory parameters are left unspecified.');
    }
    return hostNotifications.publish(request);
  }

  export function isSupportTemplate(templateName: string): Promise<boolean> {
    if (typeof templateName !== 'string') {
      throw parameterError('Incorrect parameter types.');
    }
    if (hostNotifications.templateFailure !== undefined) {
      return Promise.reject(businessError(hostNotifications.templateFailure, 'scripted template query failure'));
    }
    return Promise.resolve(hostNotifications.templates.has(templateName));
  }

  /** isNotificationEnabled() (promise, 11): whether the user allows this app's notifications. */
  export function isNotificationEnabled(): Promise<boolean> {
    if (hostNotifications.enabledFailure !== undefined) {
      return Promise.reject(businessError(hostNotifications.enabledFailure, 'scripted isNotificationEnabled failure'));
    }
    return Promise.resolve(hostNotifications.enabled);
  }

  /**
   * requestEnableNotification(context) (promise, 12): 401 without a UIAbility context (synchronously); the
   * system's dialog when notifications are off: the user's "no" rejects with 1600004; already allowed:
   * resolves at once without a dialog.
   */
  export function requestEnableNotification(context: { abilityInfo?: object }): Promise<void> {
    if (context === null || typeof context !== 'object' || context.abilityInfo === undefined) {
      throw parameterError('Mandatory parameters are left unspecified.');
    }
    if (hostNotifications.enabled) {
      return Promise.resolve();
    }
    hostNotifications.dialogs++;
    if (!hostNotifications.dialogAnswer) {
      return Promise.reject(businessError(1600004, 'Notification disabled.'));
    }
    hostNotifications.enabled = true;
    return Promise.resolve();
  }
}

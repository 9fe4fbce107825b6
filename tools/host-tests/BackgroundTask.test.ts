/*
 * platform/BackgroundTask against the host stand-ins of '@kit.BackgroundTasksKit', '@kit.NotificationKit'
 * and '@kit.AbilityKit' (wantAgent, the ability's context and resources) on a ManualClock: start, progress
 * updates on the task's notification (download template, throttling, the service's rate bound), stop,
 * and what each refusal of the system leads to.
 */
import { afterEach, beforeEach, describe, expect, it } from '@ohos/hypium';
import { hostDevice, PERMISSION_KEEP_BACKGROUND_RUNNING } from '../host/HostDevice';
import { baseStrings, hostAbility, hostUIAbilityContext } from '@kit.AbilityKit';
import { hostBackgroundTasks } from '@kit.BackgroundTasksKit';
import { hostNotifications, notificationManager } from '@kit.NotificationKit';
import {
  BackgroundStep, BackgroundTask, BackgroundTaskError, CODE_NOT_SUPPORTED, NOTIFICATION_INTERVAL_MS,
  NOTIFICATION_MAX_INTERVAL_MS
} from '../../entry/src/main/ets/platform/BackgroundTask';
import { RunKind } from '../../entry/src/main/ets/backup/model/Progress';
import { ManualClock } from '../../entry/src/main/ets/backup/port/Clock';
import { RecordingLogger, rejectionOf, resetHost } from './AdapterKit';

const CONTINUOUS_TASK = 'SystemCapability.ResourceSchedule.BackgroundTaskManager.ContinuousTask';

class Rig {
  readonly clock = new ManualClock();
  readonly logger = new RecordingLogger();
  readonly task: BackgroundTask;

  constructor(strings: Map<string, string> = baseStrings()) {
    hostDevice.now = () => this.clock.now();
    this.task = new BackgroundTask(hostUIAbilityContext(strings), this.logger, this.clock);
  }

  /** The notification ids and texts published so far, as `id text percent`. */
  drawn(): string[] {
    return hostNotifications.published.map((p) => {
      const content = p.request.content;
      const text = content.normal?.text ?? content.systemLiveView?.text ?? '?';
      const data = p.request.template?.data as Record<string, unknown> | undefined;
      return `${p.request.id} ${text} ${data?.progressValue ?? '-'}`;
    });
  }

  /** Publish calls refused so far, as `code@ms since the clock's start`. */
  refused(start: number): string[] {
    return hostNotifications.refused.map((r) => {
      const [code, at] = r.split('@');
      return `${code}@${Number(at) - start}`;
    });
  }
}

function codeAndStep(e: Error & { code?: number }): string {
  return `${e.code} ${e instanceof BackgroundTaskError ? (e as BackgroundTaskError).step : 'not a BackgroundTaskError'}`;
}

export default function backgroundTaskTests(): void {
  describe('BackgroundTask', () => {
    beforeEach(() => resetHost());
    afterEach(() => resetHost());

    it('startsADataTransferTaskThatReopensThisAbility', 0, async () => {
      const rig = new Rig();
      await rig.task.start(RunKind.BACKUP);
      const task = hostBackgroundTasks.tasks.get('EntryAbility');
      expect(task?.modes).assertDeepEquals(['dataTransfer']);
      expect(hostAbility.agents.length).assertEqual(1);
      const agent = hostAbility.agents[0];
      expect(JSON.stringify(agent.wants)).assertEqual('[{"bundleName":"org.openharmony.backupmanager","abilityName":"EntryAbility"}]');
      expect(agent.actionType as number).assertEqual(1);   // OperationType.START_ABILITY
      expect(agent.actionFlags as number[]).assertDeepEquals([3]);   // WantAgentFlags.UPDATE_PRESENT_FLAG
      expect(task?.wantAgent).assertDeepEquals({ hostWantAgent: 1 });
      await rig.task.start(RunKind.BACKUP);   // already running: nothing more is asked
      expect(hostBackgroundTasks.calls).assertDeepEquals(['start(["dataTransfer"]) -> 1']);
    });

    it('publishesProgressOnTheTasksNotificationWithTheDownloadTemplate', 0, async () => {
      const rig = new Rig();
      hostBackgroundTasks.slotType = notificationManager.SlotType.LIVE_VIEW;
      await rig.task.start(RunKind.BACKUP);
      await rig.task.update(RunKind.BACKUP, 1, 4, 25);
      expect(hostNotifications.published.length).assertEqual(1);
      const drawn = hostNotifications.published[0];
      expect(drawn.update).assertTrue();   // the task's own notification, not a new one
      const request = drawn.request;
      expect(request.id).assertEqual(1);
      expect(request.notificationSlotType as number).assertEqual(notificationManager.SlotType.LIVE_VIEW);
      expect(request.isAlertOnce).assertTrue();
      expect(JSON.stringify(request.content)).assertEqual(
        '{"notificationContentType":0,"normal":{"title":"Backing up apps","text":"1 of 4 apps finished"}}');
      expect(JSON.stringify(request.template)).assertEqual(
        '{"name":"downloadTemplate","data":{"title":"Backing up apps","fileName":"1 of 4 apps finished","progressValue":25}}');
      expect(request.wantAgent).assertDeepEquals({ hostWantAgent: 1 });
    });

    it('titlesARestoreAndUsesTheLiveViewTheSystemGives', 0, async () => {
      const rig = new Rig();
      hostBackgroundTasks.contentType = notificationManager.ContentType.NOTIFICATION_CONTENT_SYSTEM_LIVE_VIEW;
      await rig.task.start(RunKind.RESTORE);
      await rig.task.update(RunKind.RESTORE, 0, 2, 10);
      const content = hostNotifications.published[0].request.content;
      expect(content.notificationContentType as number).assertEqual(5);
      expect(JSON.stringify(content.systemLiveView)).assertEqual(
        '{"title":"Restoring apps","text":"0 of 2 apps finished","typeCode":8,"progress":{"maxValue":100,"currentValue":10}}');
    });

    it('drawsAtMostOncePerIntervalOnlyChangedNumbersAndTheLastAtOnce', 0, async () => {
      const rig = new Rig();
      await rig.task.start(RunKind.BACKUP);
      for (let p = 0; p < 50; p++) {
        await rig.task.update(RunKind.BACKUP, 0, 3, p);
      }
      rig.clock.advanceSync(NOTIFICATION_INTERVAL_MS - 1);
      await rig.task.update(RunKind.BACKUP, 1, 3, 60);
      expect(rig.drawn()).assertDeepEquals(['1 0 of 3 apps finished 0']);
      rig.clock.advanceSync(1);
      await rig.task.update(RunKind.BACKUP, 1, 3, 60);
      rig.clock.advanceSync(5 * NOTIFICATION_INTERVAL_MS);
      await rig.task.update(RunKind.BACKUP, 1, 3, 60);   // nothing changed: not drawn again
      await rig.task.update(RunKind.BACKUP, 2, 3, 90);   // changed, and the last drawing is 5 s old
      rig.clock.advanceSync(10);
      await rig.task.update(RunKind.BACKUP, 2, 3, 95);   // too soon
      await rig.task.update(RunKind.BACKUP, 3, 3, 100);  // the last one: drawn at once
      expect(rig.drawn()).assertDeepEquals([
        '1 0 of 3 apps finished 0', '1 1 of 3 apps finished 60', '1 2 of 3 apps finished 90', '1 3 of 3 apps finished 100',
      ]);
    });

    it('staysUnderTheServiceRateBoundWhenCalledConstantly', 0, async () => {
      const rig = new Rig();
      hostNotifications.maxUpdatesPerSecond = 1;   // stricter than any device: one per second
      await rig.task.start(RunKind.BACKUP);
      for (let i = 0; i < 2000; i++) {
        await rig.task.update(RunKind.BACKUP, 0, 10, Math.floor(i / 20));
        rig.clock.advanceSync(5);
      }
      expect(hostNotifications.refused).assertDeepEquals([]);
      expect(hostNotifications.published.length).assertEqual(10);
    });

    it('backsOffWhenTheServiceSaysTooOftenAndRedrawsTheRefusedNumbers', 0, async () => {
      const rig = new Rig();
      const start = rig.clock.now();
      await rig.task.start(RunKind.BACKUP);
      hostNotifications.publishFailures = [1600009];
      await rig.task.update(RunKind.BACKUP, 1, 5, 20);
      rig.clock.advanceSync(NOTIFICATION_INTERVAL_MS);
      await rig.task.update(RunKind.BACKUP, 1, 5, 20);   // the interval is 2 s now
      expect(rig.drawn()).assertDeepEquals([]);
      rig.clock.advanceSync(NOTIFICATION_INTERVAL_MS);
      await rig.task.update(RunKind.BACKUP, 1, 5, 20);   // same numbers, never drawn: drawn now
      expect(rig.drawn()).assertDeepEquals(['1 1 of 5 apps finished 20']);
      expect(rig.refused(start)).assertDeepEquals(['1600009@0']);
      expect(rig.logger.with('too frequent, next in 2000 ms').length).assertEqual(1);
    });

    it('doublesTheIntervalUpToItsBoundWhileTheServiceRefuses', 0, async () => {
      const rig = new Rig();
      const start = rig.clock.now();
      hostNotifications.maxUpdatesPerSecond = 0;   // every update refused with 1600009
      await rig.task.start(RunKind.BACKUP);
      for (let t = 0; t <= 40000; t += 100) {
        await rig.task.update(RunKind.BACKUP, 0, 5, t / 1000);
        rig.clock.advanceSync(100);
      }
      expect(NOTIFICATION_MAX_INTERVAL_MS).assertEqual(8000);
      expect(rig.refused(start)).assertDeepEquals([
        '1600009@0', '1600009@2000', '1600009@6000', '1600009@14000', '1600009@22000', '1600009@30000', '1600009@38000',
      ]);
    });

    it('endsTheUpdatesOfThisRunWhenNotificationsAreOff', 0, async () => {
      const rig = new Rig();
      const start = rig.clock.now();
      await rig.task.start(RunKind.BACKUP);
      hostNotifications.enabled = false;
      await rig.task.update(RunKind.BACKUP, 0, 2, 1);
      for (let i = 0; i < 5; i++) {
        rig.clock.advanceSync(10 * NOTIFICATION_INTERVAL_MS);
        await rig.task.update(RunKind.BACKUP, 1, 2, 50 + i);
      }
      expect(rig.refused(start)).assertDeepEquals(['1600004@0']);
      expect(rig.logger.with('notifications are off for this app (1600004)').length).assertEqual(1);
      await rig.task.stop();   // the task itself ran on
      expect(hostBackgroundTasks.calls[1]).assertEqual('stop() -> ok');
    });

    it('rejectsOtherPublishFailuresWithTheirCodeAndDrawsLater', 0, async () => {
      const rig = new Rig();
      await rig.task.start(RunKind.BACKUP);
      hostNotifications.publishFailures = [1600001];
      const err = await rejectionOf(rig.task.update(RunKind.BACKUP, 0, 2, 5));
      expect(codeAndStep(err)).assertEqual(`1600001 ${BackgroundStep.NOTIFY}`);
      rig.clock.advanceSync(NOTIFICATION_INTERVAL_MS);
      await rig.task.update(RunKind.BACKUP, 0, 2, 5);
      expect(rig.drawn()).assertDeepEquals(['1 0 of 2 apps finished 5']);
    });

    it('rejectsWhenItsTextIsNotInTheResources', 0, async () => {
      const strings = baseStrings();
      strings.delete('notification_progress');
      const rig = new Rig(strings);
      await rig.task.start(RunKind.BACKUP);
      const err = await rejectionOf(rig.task.update(RunKind.BACKUP, 0, 2, 5));
      expect(codeAndStep(err)).assertEqual(`9001004 ${BackgroundStep.NOTIFY}`);
      expect(err.message).assertContain('notification_progress');
      expect(hostNotifications.published.length).assertEqual(0);
    });

    it('publishesWithoutTheTemplateWhereTheSystemHasNoneOrCannotSay', 0, async () => {
      hostNotifications.templates.clear();
      const rig = new Rig();
      await rig.task.start(RunKind.BACKUP);
      await rig.task.update(RunKind.BACKUP, 0, 2, 5);
      await rig.task.stop();
      hostNotifications.templateFailure = 1600003;
      await rig.task.start(RunKind.BACKUP);
      await rig.task.update(RunKind.BACKUP, 1, 2, 50);
      expect(rig.drawn()).assertDeepEquals(['1 0 of 2 apps finished -', '2 1 of 2 apps finished -']);
      expect(rig.logger.with('template support unknown (1600003)').length).assertEqual(1);
    });

    it('leavesNothingRunningWhenStartIsRefused', 0, async () => {
      const rig = new Rig();
      hostDevice.granted.delete(PERMISSION_KEEP_BACKGROUND_RUNNING);
      const err = await rejectionOf(rig.task.start(RunKind.BACKUP));
      expect(codeAndStep(err)).assertEqual(`201 ${BackgroundStep.START}`);
      expect(err.message).assertContain('startBackgroundRunning refused');
      await rig.task.update(RunKind.BACKUP, 1, 1, 100);
      await rig.task.stop();
      expect(hostNotifications.published.length + hostNotifications.refused.length).assertEqual(0);
      expect(hostBackgroundTasks.calls).assertDeepEquals(['start(["dataTransfer"]) -> 201']);
      hostDevice.granted.add(PERMISSION_KEEP_BACKGROUND_RUNNING);
      await rig.task.start(RunKind.BACKUP);   // a later run gets its task (and the same WantAgent)
      expect(hostBackgroundTasks.tasks.size).assertEqual(1);
      expect(hostAbility.agents.length).assertEqual(1);
    });

    it('passesTheServicesRefusalCodesOn', 0, async () => {
      const rig = new Rig();
      hostBackgroundTasks.startFailures = [9800004];
      expect(codeAndStep(await rejectionOf(rig.task.start(RunKind.BACKUP)))).assertEqual(`9800004 ${BackgroundStep.START}`);
      hostDevice.backgroundModes = [];   // module.json5 without dataTransfer
      expect(codeAndStep(await rejectionOf(rig.task.start(RunKind.BACKUP)))).assertEqual(`9800005 ${BackgroundStep.START}`);
      expect(hostBackgroundTasks.tasks.size).assertEqual(0);
    });

    it('rejectsStartWhenThereIsNoWantAgentAndTriesAgainNextTime', 0, async () => {
      const rig = new Rig();
      hostAbility.wantAgentFailures = [16000007];
      expect(codeAndStep(await rejectionOf(rig.task.start(RunKind.BACKUP)))).assertEqual(`16000007 ${BackgroundStep.START}`);
      expect(hostBackgroundTasks.calls).assertDeepEquals([]);
      await rig.task.start(RunKind.BACKUP);
      expect(hostBackgroundTasks.tasks.size).assertEqual(1);
    });

    it('rejectsStartWith801AndCallsNothingWithoutTheCapability', 0, async () => {
      const rig = new Rig();
      hostDevice.missingSyscaps.add(CONTINUOUS_TASK);
      const err = await rejectionOf(rig.task.start(RunKind.BACKUP));
      expect(codeAndStep(err)).assertEqual(`${CODE_NOT_SUPPORTED} ${BackgroundStep.START}`);
      await rig.task.update(RunKind.BACKUP, 1, 1, 100);
      await rig.task.stop();
      expect(hostAbility.calls).assertDeepEquals([]);
      expect(hostBackgroundTasks.calls).assertDeepEquals([]);
      expect(hostNotifications.published.length).assertEqual(0);
      expect(rig.logger.with('no continuous tasks on this device').length).assertEqual(1);
    });

    it('stopEndsTheTaskAndItsNotificationAndASecondStopDoesNothing', 0, async () => {
      const rig = new Rig();
      await rig.task.start(RunKind.BACKUP);
      await rig.task.update(RunKind.BACKUP, 0, 1, 0);
      expect(hostNotifications.active.has(1)).assertTrue();
      await rig.task.stop();
      await rig.task.stop();
      expect(hostBackgroundTasks.tasks.size).assertEqual(0);
      expect(hostNotifications.active.has(1)).assertFalse();
      expect(hostBackgroundTasks.calls).assertDeepEquals(['start(["dataTransfer"]) -> 1', 'stop() -> ok']);
      rig.clock.advanceSync(NOTIFICATION_INTERVAL_MS);
      await rig.task.update(RunKind.BACKUP, 1, 1, 100);   // after stop: nothing is drawn
      expect(hostNotifications.published.length).assertEqual(1);
    });

    it('stopResolvesWhenTheSystemHadAlreadyEndedTheTask', 0, async () => {
      const rig = new Rig();
      await rig.task.start(RunKind.BACKUP);
      hostBackgroundTasks.endTask();   // the user removed the notification
      await rig.task.stop();
      expect(hostBackgroundTasks.calls[1]).assertEqual('stop() -> 9800005');
      expect(rig.logger.with('continuous task had already ended').length).assertEqual(1);
      await rig.task.start(RunKind.BACKUP);   // the next run gets a new task
      expect(hostBackgroundTasks.tasks.get('EntryAbility')?.notificationId).assertEqual(2);
    });

    it('stopRejectsOtherFailuresWithTheirCodeAndCountsNothingAsRunning', 0, async () => {
      const rig = new Rig();
      await rig.task.start(RunKind.BACKUP);
      hostBackgroundTasks.stopFailures = [9800003];
      expect(codeAndStep(await rejectionOf(rig.task.stop()))).assertEqual(`9800003 ${BackgroundStep.STOP}`);
      await rig.task.stop();
      await rig.task.update(RunKind.BACKUP, 1, 1, 100);
      expect(hostBackgroundTasks.calls).assertDeepEquals(['start(["dataTransfer"]) -> 1', 'stop() -> 9800003']);
      expect(hostNotifications.published.length).assertEqual(0);
    });
  });
}

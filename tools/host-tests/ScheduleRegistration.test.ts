/*
 * platform/ScheduleRegistration and platform/PlatformNotifier against the host stand-ins of
 * '@ohos.resourceschedule.workScheduler' (which reads module.json5's workScheduler extension) and
 * '@kit.NotificationKit': the work a schedule becomes, registration again after a reboot or a change,
 * removal when off, the system's refusals; notices and the notification permission.
 */
import { afterEach, beforeEach, describe, expect, it } from '@ohos/hypium';
import workScheduler, { declaredWorkAbilities, hostWorkScheduler } from '@ohos.resourceschedule.workScheduler';
import { hostNotifications } from '@kit.NotificationKit';
import { hostUIAbilityContext } from '@kit.AbilityKit';
import {
  BACKUP_WORK_ID, MIN_REPEAT_MS, ScheduleRegistration, ScheduleRegistrationError, TRIGGER_CYCLE_MS, WORK_ABILITY_NAME
} from '../../entry/src/main/ets/platform/ScheduleRegistration';
import { NotifierError, PlatformNotifier } from '../../entry/src/main/ets/platform/PlatformNotifier';
import { Schedule } from '../../entry/src/main/ets/backup/schedule/Schedule';
import { Notice, NoticeGate, NoticeKind } from '../../entry/src/main/ets/backup/schedule/Notices';
import { RecordingLogger, rejectionOf, resetHost } from './AdapterKit';
import { batteryInfo, hostBattery } from '@kit.BasicServicesKit';
import { ScheduleConditionsProbe } from '../../entry/src/main/ets/platform/ScheduleConditionsProbe';

function enabled(revision: number, change?: (s: Schedule) => void): Schedule {
  const s = new Schedule();
  s.enabled = true;
  s.repoRoot = '/data/repo';
  s.revision = revision;
  if (change !== undefined) {
    change(s);
  }
  return s;
}

function registration(): ScheduleRegistration {
  return new ScheduleRegistration('org.openharmony.backupmanager', new RecordingLogger());
}

export default function scheduleRegistrationTests(): void {
  describe('ScheduleRegistration', () => {
    beforeEach(() => resetHost());
    afterEach(() => resetHost());

    it('moduleJson5DeclaresTheWorkSchedulerExtension', 0, () => {
      expect(declaredWorkAbilities()).assertDeepEquals([WORK_ABILITY_NAME]);
    });

    it('registersAPersistedRepeatingWorkWithTheSchedulesConditions', 0, async () => {
      await registration().apply(enabled(3, (s) => {
        s.conditions.minBattery = 30;
        s.conditions.deviceIdle = true;
      }));
      const w = hostWorkScheduler.works.get(BACKUP_WORK_ID);
      expect(w?.abilityName).assertEqual(WORK_ABILITY_NAME);
      expect(w?.isPersisted).assertTrue();
      expect(w?.isRepeat).assertTrue();
      expect(w?.repeatCycleTime).assertEqual(TRIGGER_CYCLE_MS);
      expect(w?.isCharging).assertTrue();
      expect(w?.chargerType).assertEqual(workScheduler.ChargingType.CHARGING_PLUGGED_ANY);
      expect(w?.batteryLevel).assertEqual(30);
      expect(w?.isDeepIdle).assertTrue();
      expect(w?.storageRequest).assertEqual(workScheduler.StorageRequest.STORAGE_LEVEL_OKAY);
      expect(w?.parameters?.['scheduleRevision']).assertEqual(3);
      expect(TRIGGER_CYCLE_MS >= MIN_REPEAT_MS).assertTrue();
    });

    it('anUnchangedScheduleIsLeftAloneAChangedOneReplacedAndAnOffOneRemoved', 0, async () => {
      const reg = registration();
      await reg.apply(enabled(1));
      await reg.apply(enabled(1));   // the app starts again: nothing to do
      await reg.apply(enabled(2, (s) => {
        s.conditions.charging = false;
      }));
      expect(hostWorkScheduler.works.get(BACKUP_WORK_ID)?.isCharging).assertUndefined();
      const off = enabled(3);
      off.enabled = false;
      await reg.apply(off);
      expect(hostWorkScheduler.works.size).assertEqual(0);
      await reg.apply(off);   // already off: nothing to stop
      expect(hostWorkScheduler.calls).assertDeepEquals(['getWorkStatus(1)', 'startWork(1)', 'getWorkStatus(1)',
        'getWorkStatus(1)', 'stopWork(1,true)', 'startWork(1)', 'getWorkStatus(1)', 'stopWork(1,true)', 'getWorkStatus(1)']);
    });

    it('survivesARebootAndIsRegisteredAgainWhenTheSystemLostIt', 0, async () => {
      const reg = registration();
      await reg.apply(enabled(1));
      hostWorkScheduler.reboot();
      expect(hostWorkScheduler.works.has(BACKUP_WORK_ID)).assertTrue();   // persisted
      hostWorkScheduler.works.clear();   // an update that dropped the app's works
      await reg.apply(enabled(1));       // the app's start registers it again
      expect(hostWorkScheduler.works.has(BACKUP_WORK_ID)).assertTrue();
    });

    it('aRefusalOfTheSystemRejectsWithItsCode', 0, async () => {
      hostWorkScheduler.failures.set('startWork', [9700003]);
      const e = await rejectionOf(registration().apply(enabled(1)));
      expect(e instanceof ScheduleRegistrationError).assertTrue();
      expect(e.code).assertEqual(9700003);
      hostWorkScheduler.failures.set('getWorkStatus', [9700002]);
      expect((await rejectionOf(registration().apply(enabled(1)))).code).assertEqual(9700002);
    });
  });

  describe('PlatformNotifier', () => {
    beforeEach(() => resetHost());
    afterEach(() => resetHost());

    it('postsOneNoticePerKindWithTheAppsTexts', 0, async () => {
      const ui = hostUIAbilityContext();
      const n = new PlatformNotifier(ui, ui, new RecordingLogger());
      await n.post(new Notice(NoticeKind.SCHEDULED_FAILED, 5, 2));
      await n.post(new Notice(NoticeKind.SCHEDULED_FAILED, 5, 1));
      await n.post(new Notice(NoticeKind.OVERDUE, 0, 0));
      const texts = hostNotifications.published.map((p) => `${p.request.id} ${p.request.content.normal?.text}`);
      expect(texts[0]).assertEqual('4101 Scheduled backup: 2 of 5 apps failed');
      expect(texts[1]).assertEqual('4101 Scheduled backup: 1 of 5 apps failed');
      expect(texts[2]).assertContain('4102 No scheduled backup has succeeded');
      expect(hostNotifications.active.size).assertEqual(2);
    });

    it('asksOnceFromTheAppAndNeverFromTheExtension', 0, async () => {
      hostNotifications.enabled = false;
      hostNotifications.dialogAnswer = false;
      const ui = hostUIAbilityContext();
      const gate = new NoticeGate(new PlatformNotifier(ui, ui, new RecordingLogger()), true);
      expect(await gate.post(new Notice(NoticeKind.RUN_DONE, 2, 0))).assertFalse();
      expect(await gate.post(new Notice(NoticeKind.RUN_DONE, 2, 0))).assertFalse();
      expect(hostNotifications.dialogs).assertEqual(1);
      expect(gate.refused()).assertTrue();
      const extension = new NoticeGate(new PlatformNotifier(ui, undefined, new RecordingLogger()), false);
      expect(await extension.post(new Notice(NoticeKind.OVERDUE, 0, 0))).assertFalse();
      expect(hostNotifications.dialogs).assertEqual(1);
      hostNotifications.dialogAnswer = true;
      const again = new NoticeGate(new PlatformNotifier(ui, ui, new RecordingLogger()), true);
      expect(await again.post(new Notice(NoticeKind.RUN_FAILED, 3, 1))).assertTrue();
      expect(hostNotifications.published.length).assertEqual(1);
    });

    it('notificationsSwitchedOffAreNotAnErrorOtherRefusalsAre', 0, async () => {
      const ui = hostUIAbilityContext();
      const n = new PlatformNotifier(ui, undefined, new RecordingLogger());
      hostNotifications.publishFailures = [1600005, 1600001];
      await n.post(new Notice(NoticeKind.OVERDUE, 0, 0));
      const e = await rejectionOf(n.post(new Notice(NoticeKind.OVERDUE, 0, 0)));
      expect(e instanceof NotifierError).assertTrue();
      expect(e.code).assertEqual(1600001);
      hostNotifications.enabledFailure = 1600003;
      expect(await n.enabled()).assertFalse();
    });
  });

  describe('ScheduleConditionsProbe', () => {
    beforeEach(() => resetHost());
    afterEach(() => resetHost());

    it('readsTheChargerAndTheBatteryLevel', 0, async () => {
      const probe = new ScheduleConditionsProbe();
      const c = enabled(1, (s) => {
        s.conditions.minBattery = 40;
      }).conditions;
      expect(await probe.unmet(c)).assertDeepEquals([]);
      hostBattery.set(batteryInfo.BatteryPluggedType.NONE, 39);
      expect(await probe.unmet(c)).assertDeepEquals(['charging', 'battery']);
      hostBattery.set(batteryInfo.BatteryPluggedType.WIRELESS, 40);
      expect(await probe.unmet(c)).assertDeepEquals([]);
      c.charging = false;
      c.minBattery = 0;
      hostBattery.set(batteryInfo.BatteryPluggedType.NONE, 5);
      expect(await probe.unmet(c)).assertDeepEquals([]);
    });
  });
}

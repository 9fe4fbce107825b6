/*
 * platform/PermissionState against the host stand-in of '@kit.AbilityKit' (bundleManager, the access
 * token manager): the probe of what the backup service checks, i.e. ohos.permission.BACKUP (201 without
 * it) and system-app signing (202 without it), through the adapter and through the device product's
 * PermissionProbe (app/DeviceBackend) the start page reads; and the probe's own failures.
 */
import { afterEach, beforeEach, describe, expect, it } from '@ohos/hypium';
import { hostDevice, PERMISSION_BACKUP } from '../host/HostDevice';
import { hostAbility, hostUIAbilityContext } from '@kit.AbilityKit';
import { BackupAccess, PermissionProbeError, PermissionState } from '../../entry/src/main/ets/platform/PermissionState';
import { deviceParts } from '../../entry/src/main/ets/app/DeviceBackend';
import { PermissionStatus } from '../../entry/src/main/ets/viewmodel/UiPorts';
import { RecordingLogger, rejectionOf, resetHost } from './AdapterKit';

function shown(access: BackupAccess): string {
  return `permission ${access.hasPermission}, system app ${access.isSystemApp}`;
}

/** What the start page is told: the device product's probe over PermissionState. */
function deviceProbe(logger: RecordingLogger): Promise<PermissionStatus> {
  return deviceParts(hostUIAbilityContext(), logger).permission.check();
}

export default function permissionStateTests(): void {
  describe('PermissionState', () => {
    beforeEach(() => resetHost());
    afterEach(() => resetHost());

    it('grantsASignedSystemAppHoldingBackup', 0, async () => {
      const logger = new RecordingLogger();
      expect(shown(await new PermissionState(logger).check())).assertEqual('permission true, system app true');
      expect(hostAbility.calls).assertDeepEquals([
        'getBundleInfoForSelf(1)', `checkAccessTokenSync(${hostDevice.tokenId},"ohos.permission.BACKUP")`,
      ]);
      expect(logger.lines).assertDeepEquals(['I ohos.permission.BACKUP granted, system app yes']);
      expect(await deviceProbe(logger)).assertEqual(PermissionStatus.GRANTED);
    });

    it('reportsAMissingPermissionAs201', 0, async () => {
      hostDevice.granted.delete(PERMISSION_BACKUP);
      const logger = new RecordingLogger();
      expect(shown(await new PermissionState(logger).check())).assertEqual('permission false, system app true');
      expect(await deviceProbe(logger)).assertEqual(PermissionStatus.MISSING_PERMISSION);
    });

    it('reportsANonSystemAppAs202', 0, async () => {
      hostDevice.systemApp = false;
      const logger = new RecordingLogger();
      expect(shown(await new PermissionState(logger).check())).assertEqual('permission true, system app false');
      expect(await deviceProbe(logger)).assertEqual(PermissionStatus.NOT_SYSTEM_APP);
    });

    it('reportsBothMissingAs201AsTheServiceChecksThePermissionFirst', 0, async () => {
      hostDevice.granted.delete(PERMISSION_BACKUP);
      hostDevice.systemApp = false;
      const logger = new RecordingLogger();
      expect(shown(await new PermissionState(logger).check())).assertEqual('permission false, system app false');
      expect(await deviceProbe(logger)).assertEqual(PermissionStatus.MISSING_PERMISSION);
      expect(logger.lines[0]).assertEqual('I ohos.permission.BACKUP missing, system app no');
    });

    it('rejectsWithTheCodeWhenTheBundleInfoIsNotReadable', 0, async () => {
      hostAbility.bundleInfoFailure = 17700004;
      const err = await rejectionOf(new PermissionState(new RecordingLogger()).check());
      expect(err instanceof PermissionProbeError).assertTrue();
      expect(err.code).assertEqual(17700004);
      expect(err.message).assertContain('own bundle info not readable');
      expect(hostAbility.calls).assertDeepEquals(['getBundleInfoForSelf(1)']);
      expect((await rejectionOf(deviceProbe(new RecordingLogger()))).code).assertEqual(17700004);
    });

    it('rejectsWithTheCodeWhenThePermissionIsNotCheckable', 0, async () => {
      hostDevice.tokenId = 0;   // the access token manager refuses token 0 with 12100001
      const err = await rejectionOf(new PermissionState(new RecordingLogger()).check());
      expect(err instanceof PermissionProbeError).assertTrue();
      expect(err.code).assertEqual(12100001);
      expect(err.message).assertContain('ohos.permission.BACKUP not checkable');
      hostDevice.tokenId = 537_001_001;
      hostAbility.accessTokenFailure = 401;
      expect((await rejectionOf(new PermissionState(new RecordingLogger()).check())).code).assertEqual(401);
    });
  });
}

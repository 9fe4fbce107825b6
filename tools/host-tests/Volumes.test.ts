/*
 * platform/VolumeManagerVolumes against the host stand-ins of '@ohos.file.volumeManager',
 * '@ohos.file.storageStatistics' and '@ohos.commonEventManager': only mounted removable volumes, with
 * their sizes and FAT's file limit; the system's refusals as VolumesError codes; events when a volume
 * comes or goes, and none after stop().
 */
import { afterEach, beforeEach, describe, expect, it } from '@ohos/hypium';
import { hostDevice } from '../host/HostDevice';
import { hostVolumes, PERMISSION_STORAGE_MANAGER } from '@ohos.file.volumeManager';
import { hostCommonEvents } from '@ohos.commonEventManager';
import { VolumeManagerVolumes } from '../../entry/src/main/ets/platform/VolumeManagerVolumes';
import {
  FAT_FILE_LIMIT, VolumeChange, VolumeEvent, VolumesError
} from '../../entry/src/main/ets/backup/port/Volumes';
import { RecordingLogger, rejectionOf, resetHost } from './AdapterKit';

const GIB = 1024 * 1024 * 1024;

function resetAll(): void {
  resetHost();
  hostVolumes.reset();
  hostCommonEvents.reset();
  hostDevice.granted.add(PERMISSION_STORAGE_MANAGER);
}

export default function volumesTests(): void {
  describe('VolumeManagerVolumes', () => {
    beforeEach(() => resetAll());
    afterEach(() => resetAll());

    it('listsMountedRemovableVolumesWithTheirSizesAndFileLimit', 0, async () => {
      const usb = hostVolumes.plug('Kingston USB', 'vfat', 3 * GIB, 16 * GIB);
      const sd = hostVolumes.plug('SD card', 'exfat', 100 * GIB, 128 * GIB);
      const ejected = hostVolumes.plug('Old stick', 'vfat', 1, 2);
      hostVolumes.eject(ejected.id);
      const list = await new VolumeManagerVolumes(new RecordingLogger()).list();
      expect(list.map((v) => v.id)).assertDeepEquals([usb.id, sd.id]);
      expect(list[0].uuid).assertEqual(usb.uuid);
      expect(list[0].path).assertEqual(`/mnt/data/external/${usb.uuid}`);
      expect(list[0].freeBytes).assertEqual(3 * GIB);
      expect(list[0].totalBytes).assertEqual(16 * GIB);
      expect(list[0].maxFileBytes).assertEqual(FAT_FILE_LIMIT);
      expect(list[1].fsType).assertEqual('exfat');
      expect(list[1].maxFileBytes).assertEqual(0);
    });

    it('aVolumeWhoseSizesTheSystemWillNotGiveIsListedWithMinusOne', 0, async () => {
      hostVolumes.plug('USB', 'vfat', 10, 20);
      hostVolumes.sizeFailure = 13600001;
      const logger = new RecordingLogger();
      const list = await new VolumeManagerVolumes(logger).list();
      expect(list.length).assertEqual(1);
      expect(list[0].freeBytes).assertEqual(-1);
      expect(logger.with('13600001').length).assertEqual(1);
    });

    it('saysWhyTheSystemRefusedTheList', 0, async () => {
      hostDevice.granted.delete(PERMISSION_STORAGE_MANAGER);
      const denied = await rejectionOf(new VolumeManagerVolumes(new RecordingLogger()).list());
      expect(denied instanceof VolumesError).assertTrue();
      expect((denied as VolumesError).code).assertEqual(201);
      hostDevice.granted.add(PERMISSION_STORAGE_MANAGER);
      hostDevice.systemApp = false;
      expect((await rejectionOf(new VolumeManagerVolumes(new RecordingLogger()).list()) as VolumesError).code)
        .assertEqual(202);
    });

    it('reportsVolumesThatComeAndGoUntilStopped', 0, async () => {
      const seen: string[] = [];
      const volumes = new VolumeManagerVolumes(new RecordingLogger());
      const sub = await volumes.watch((e: VolumeEvent) => seen.push(`${e.change} ${e.volumeId}`));
      const usb = hostVolumes.plug('USB', 'vfat', 10, 20);
      const sd = hostVolumes.plug('SD', 'exfat', 10, 20);
      hostVolumes.eject(usb.id);
      hostVolumes.pull(sd.id);
      expect(seen).assertDeepEquals([`${VolumeChange.MOUNTED} ${usb.id}`, `${VolumeChange.MOUNTED} ${sd.id}`,
        `${VolumeChange.EJECTING} ${usb.id}`, `${VolumeChange.UNMOUNTED} ${usb.id}`,
        `${VolumeChange.REMOVED} ${sd.id}`]);
      expect((await volumes.list()).length).assertEqual(0);
      await sub.stop();
      expect(hostCommonEvents.listeners()).assertEqual(0);
      hostVolumes.plug('USB again', 'vfat', 10, 20);
      expect(seen.length).assertEqual(5);
      await sub.stop();
    });
  });
}

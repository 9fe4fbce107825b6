/*
 * Host stand-in for the system API '@ohos.file.volumeManager' (the members declared in
 * tools/stubs/@ohos.file.volumeManager.d.ts), so platform/VolumeManagerVolumes.ets runs on Node.
 *
 * The simulated storage manager (hostVolumes) holds the device's volumes (the internal one too, not
 * removable) with their state, uuid, mount path, file system and sizes; it answers in the order the
 * storage service checks: not a system app -> 202, ohos.permission.STORAGE_MANAGER not granted -> 201.
 * plug()/eject()/pull() change a volume and publish the VOLUME_* common event the system sends
 * (through the stand-in of '@ohos.commonEventManager'), with the volume's id in its parameters.
 * Tests can make a call fail with a code and read every call.
 */
import type OfficialVolumeManager from '../../stubs/@ohos.file.volumeManager';
import { businessError, CODE_NOT_SYSTEM_APP, CODE_PERMISSION_DENIED, hostDevice } from '../HostDevice';
import { hostCommonEvents } from '@ohos.commonEventManager';

type Volume = OfficialVolumeManager.Volume;

export const PERMISSION_STORAGE_MANAGER = 'ohos.permission.STORAGE_MANAGER';
export const CODE_NO_SUCH_OBJECT = 13600008;

export class HostVolume {
  id = '';
  uuid = '';
  diskId = '';
  description = '';
  removable = true;
  state = 2;
  path = '';
  fsType = 'vfat';
  freeBytes = 0;
  totalBytes = 0;
}

export class HostVolumes {
  volumes: HostVolume[] = [];
  /** Code getAllVolumes rejects with (undefined: it answers). */
  listFailure: number | undefined = undefined;
  /** Code the size calls reject with (undefined: they answer). */
  sizeFailure: number | undefined = undefined;
  /** Every call, as `name(args)`. */
  calls: string[] = [];
  private serial = 0;

  reset(): void {
    this.volumes = [];
    this.listFailure = undefined;
    this.sizeFailure = undefined;
    this.calls = [];
    this.serial = 0;
    const internal = new HostVolume();
    internal.id = 'vol-0-1';
    internal.uuid = 'internal';
    internal.removable = false;
    internal.path = '/data';
    internal.fsType = 'f2fs';
    this.volumes.push(internal);
  }

  /** A volume plugged in and mounted; the system sends VOLUME_MOUNTED. */
  plug(description: string, fsType: string, freeBytes: number, totalBytes: number, path = ''): HostVolume {
    this.serial++;
    const v = new HostVolume();
    v.id = `vol-8-${this.serial}`;
    v.uuid = `${(0x1a2b0000 + this.serial).toString(16).toUpperCase().slice(0, 4)}-${this.serial}`;
    v.diskId = `disk-8-${this.serial}`;
    v.description = description;
    v.fsType = fsType;
    v.freeBytes = freeBytes;
    v.totalBytes = totalBytes;
    v.path = path !== '' ? path : `/mnt/data/external/${v.uuid}`;
    v.state = 2;
    this.volumes.push(v);
    hostCommonEvents.publish('usual.event.data.VOLUME_MOUNTED', { id: v.id, diskId: v.diskId, volumeState: 2 });
    return v;
  }

  /** Ejected in the system's UI: state ejecting, VOLUME_EJECT, then unmounted, VOLUME_UNMOUNTED. */
  eject(id: string): void {
    const v = this.get(id);
    v.state = 3;
    hostCommonEvents.publish('usual.event.data.VOLUME_EJECT', { id: v.id, volumeState: 3 });
    v.state = 0;
    hostCommonEvents.publish('usual.event.data.VOLUME_UNMOUNTED', { id: v.id, volumeState: 0 });
  }

  /** Pulled out without ejecting: gone, VOLUME_BAD_REMOVAL. */
  pull(id: string): void {
    const v = this.get(id);
    this.volumes = this.volumes.filter((x) => x !== v);
    hostCommonEvents.publish('usual.event.data.VOLUME_BAD_REMOVAL', { id: v.id, volumeState: 0 });
  }

  get(id: string): HostVolume {
    const v = this.volumes.find((x) => x.id === id);
    if (v === undefined) {
      throw new Error(`no host volume ${id}`);
    }
    return v;
  }

  /** The storage service's checks, in its order. */
  check(): void {
    if (!hostDevice.systemApp) {
      throw businessError(CODE_NOT_SYSTEM_APP, 'The caller is not a system application.');
    }
    if (!hostDevice.isGranted(PERMISSION_STORAGE_MANAGER)) {
      throw businessError(CODE_PERMISSION_DENIED, 'Permission verification failed.');
    }
  }

  byUuid(uuid: string): HostVolume {
    const v = this.volumes.find((x) => x.uuid === uuid && x.state === 2);
    if (v === undefined) {
      throw businessError(CODE_NO_SUCH_OBJECT, 'No such object.');
    }
    return v;
  }
}

export const hostVolumes = new HostVolumes();
hostVolumes.reset();

function getAllVolumes(): Promise<Volume[]> {
  hostVolumes.calls.push('getAllVolumes()');
  return new Promise<Volume[]>((resolve, reject) => {
    try {
      hostVolumes.check();
      if (hostVolumes.listFailure !== undefined) {
        throw businessError(hostVolumes.listFailure, 'scripted failure');
      }
      resolve(hostVolumes.volumes.map((v) => ({
        id: v.id, uuid: v.uuid, diskId: v.diskId, description: v.description, removable: v.removable,
        state: v.state, path: v.path, fsType: v.fsType,
      })));
    } catch (e) {
      reject(e);
    }
  });
}

const volumeManager = { getAllVolumes };
export default volumeManager;

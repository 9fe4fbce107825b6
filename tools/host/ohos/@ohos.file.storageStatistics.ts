/*
 * Host stand-in for '@ohos.file.storageStatistics' (the members declared in
 * tools/stubs/@ohos.file.storageStatistics.d.ts that the app uses): the sizes of a volume of the simulated
 * storage manager (tools/host/ohos/@ohos.file.volumeManager.ts), with its checks: 202, 201, then
 * 13600008 for a uuid of no mounted volume.
 */
import { businessError } from '../HostDevice';
import { hostVolumes } from '@ohos.file.volumeManager';

function size(call: string, uuid: string, pick: (free: number, total: number) => number): Promise<number> {
  hostVolumes.calls.push(`${call}(${uuid})`);
  return new Promise<number>((resolve, reject) => {
    try {
      hostVolumes.check();
      if (hostVolumes.sizeFailure !== undefined) {
        throw businessError(hostVolumes.sizeFailure, 'scripted failure');
      }
      const v = hostVolumes.byUuid(uuid);
      resolve(pick(v.freeBytes, v.totalBytes));
    } catch (e) {
      reject(e);
    }
  });
}

function getFreeSizeOfVolume(volumeUuid: string): Promise<number> {
  return size('getFreeSizeOfVolume', volumeUuid, (free) => free);
}

function getTotalSizeOfVolume(volumeUuid: string): Promise<number> {
  return size('getTotalSizeOfVolume', volumeUuid, (free, total) => total);
}

const storageStatistics = { getFreeSizeOfVolume, getTotalSizeOfVolume };
export default storageStatistics;

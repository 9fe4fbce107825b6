/*
 * Host stand-in for '@ohos.resourceschedule.workScheduler' (the part platform/ScheduleRegistration uses):
 * startWork(work) and stopWork(work, needCancel?) (synchronous), getWorkStatus(workId) (promise) and
 * obtainAllWorks() (promise), with the enums, shapes and codes of @arkts/declarations
 * api/@ohos.resourceschedule.workScheduler and the rules of the work scheduler service:
 *  - 401 (thrown) when the argument is not a WorkInfo with a numeric workId and string bundleName/abilityName;
 *  - startWork 9700004 (check on workInfo failed): another app's bundle name, an ability that is not an
 *    extension ability of type "workScheduler" in entry/src/main/module.json5 (read from the file, so the
 *    tests fail when the declaration is missing), no condition at all, a repeat shorter than 20 min;
 *    9700005 (calling startWork failed): the id is already registered, or the app has 10 works;
 *  - stopWork / getWorkStatus 9700004 for an id that is not registered;
 *  - reboot(): works without isPersisted are gone afterwards; persisted ones stay.
 * Tests can queue failure codes for every call and read every call.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseJson5 } from 'json5';
import type official from '@arkts/declarations/dist/api/@ohos.resourceschedule.workScheduler';
import { businessError, hostDevice, parameterError } from '../HostDevice';

const CHECK_FAILED = 9700004;
const START_FAILED = 9700005;
const MIN_REPEAT_MS = 20 * 60 * 1000;
const MAX_WORKS = 10;

/** entry/src/main/module.json5 of the project the tests run in (found from the working folder up). */
function moduleJson5(): string {
  let dir = process.cwd();
  for (;;) {
    const candidate = path.join(dir, 'entry', 'src', 'main', 'module.json5');
    if (fs.existsSync(candidate)) {
      return candidate;
    }
    const up = path.dirname(dir);
    if (up === dir) {
      throw new Error('workScheduler stand-in: entry/src/main/module.json5 not found above the working folder');
    }
    dir = up;
  }
}

/** Names of the extension abilities of type "workScheduler" that module.json5 declares. */
export function declaredWorkAbilities(): string[] {
  const file = moduleJson5();
  const parsed = parseJson5(fs.readFileSync(file, 'utf8')) as {
    module?: { extensionAbilities?: { name?: string; type?: string; srcEntry?: string }[] }
  };
  return (parsed.module?.extensionAbilities ?? []).filter((e) => e.type === 'workScheduler' &&
    typeof e.srcEntry === 'string').map((e) => e.name ?? '');
}

function copy(work: official.WorkInfo): official.WorkInfo {
  return JSON.parse(JSON.stringify(work)) as official.WorkInfo;
}

function hasCondition(w: official.WorkInfo): boolean {
  return w.networkType !== undefined || w.isCharging !== undefined || w.chargerType !== undefined ||
    w.batteryLevel !== undefined || w.batteryStatus !== undefined || w.storageRequest !== undefined ||
    w.isDeepIdle !== undefined || w.idleWaitTime !== undefined || w.repeatCycleTime !== undefined;
}

export class HostWorkScheduler {
  /** Registered works by id. */
  readonly works: Map<number, official.WorkInfo> = new Map();
  /** Codes the next calls of each name reject with / throw, in order. */
  failures: Map<string, number[]> = new Map();
  calls: string[] = [];

  reset(): void {
    this.works.clear();
    this.failures = new Map();
    this.calls = [];
  }

  /** The device restarts: only persisted works are still registered. */
  reboot(): void {
    for (const [id, w] of [...this.works]) {
      if (w.isPersisted !== true) {
        this.works.delete(id);
      }
    }
  }

  scripted(name: string): number | undefined {
    return this.failures.get(name)?.shift();
  }
}

export const hostWorkScheduler = new HostWorkScheduler();

function checkShape(work: official.WorkInfo): void {
  if (work === null || typeof work !== 'object' || typeof work.workId !== 'number' ||
    typeof work.bundleName !== 'string' || typeof work.abilityName !== 'string') {
    throw parameterError('Mandatory parameters are left unspecified.');
  }
}

namespace workScheduler {
  export type WorkInfo = official.WorkInfo;

  export enum NetworkType {
    NETWORK_TYPE_ANY = 0,
    NETWORK_TYPE_MOBILE,
    NETWORK_TYPE_WIFI,
    NETWORK_TYPE_BLUETOOTH,
    NETWORK_TYPE_WIFI_P2P,
    NETWORK_TYPE_ETHERNET
  }

  export enum ChargingType {
    CHARGING_PLUGGED_ANY = 0,
    CHARGING_PLUGGED_AC,
    CHARGING_PLUGGED_USB,
    CHARGING_PLUGGED_WIRELESS
  }

  export enum BatteryStatus {
    BATTERY_STATUS_LOW = 0,
    BATTERY_STATUS_OKAY,
    BATTERY_STATUS_LOW_OR_OKAY
  }

  export enum StorageRequest {
    STORAGE_LEVEL_LOW = 0,
    STORAGE_LEVEL_OKAY,
    STORAGE_LEVEL_LOW_OR_OKAY
  }

  export function startWork(work: WorkInfo): void {
    checkShape(work);
    const h = hostWorkScheduler;
    h.calls.push(`startWork(${work.workId})`);
    const scripted = h.scripted('startWork');
    if (scripted !== undefined) {
      throw businessError(scripted, 'scripted startWork failure');
    }
    if (work.bundleName !== hostDevice.bundleName || !declaredWorkAbilities().includes(work.abilityName)) {
      throw businessError(CHECK_FAILED, 'Check on workInfo failed.');
    }
    if (!hasCondition(work) || (work.isRepeat === true && (work.repeatCycleTime ?? 0) < MIN_REPEAT_MS)) {
      throw businessError(CHECK_FAILED, 'Check on workInfo failed.');
    }
    if (h.works.has(work.workId) || h.works.size >= MAX_WORKS) {
      throw businessError(START_FAILED, 'Calling startWork failed.');
    }
    h.works.set(work.workId, copy(work));
  }

  export function stopWork(work: WorkInfo, needCancel?: boolean): void {
    checkShape(work);
    const h = hostWorkScheduler;
    h.calls.push(`stopWork(${work.workId},${needCancel === true})`);
    const scripted = h.scripted('stopWork');
    if (scripted !== undefined) {
      throw businessError(scripted, 'scripted stopWork failure');
    }
    if (!h.works.has(work.workId)) {
      throw businessError(CHECK_FAILED, 'Check on workInfo failed.');
    }
    h.works.delete(work.workId);
  }

  export function getWorkStatus(workId: number): Promise<WorkInfo> {
    if (typeof workId !== 'number') {
      throw parameterError('Parameter verification failed.');
    }
    const h = hostWorkScheduler;
    h.calls.push(`getWorkStatus(${workId})`);
    const scripted = h.scripted('getWorkStatus');
    if (scripted !== undefined) {
      return Promise.reject(businessError(scripted, 'scripted getWorkStatus failure'));
    }
    const w = h.works.get(workId);
    return w !== undefined ? Promise.resolve(copy(w)) : Promise.reject(businessError(CHECK_FAILED, 'Check on workInfo failed.'));
  }

  export function obtainAllWorks(): Promise<WorkInfo[]> {
    return Promise.resolve([...hostWorkScheduler.works.values()].map(copy));
  }
}

export default workScheduler;

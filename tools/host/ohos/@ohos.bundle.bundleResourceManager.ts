/*
 * Host stand-in for the system API '@ohos.bundle.bundleResourceManager' (the members declared in
 * tools/stubs/@ohos.bundle.bundleResourceManager.d.ts), so platform/BundleLabels.ets runs on Node.
 *
 * The simulated bundle manager (hostBundleResources) holds the installed apps and their clones (appIndex
 * 1..5) with a label and an icon each, and answers in the order the bundle manager service checks
 * (BundleResourceHostImpl): not a system app -> 202; GET_BUNDLE_RESOURCES not granted -> 201; for the
 * whole list also GET_INSTALLED_BUNDLE_LIST -> 201; appIndex outside 0..5 -> 17700061; an app not
 * installed -> 17700001, a clone index the installed app does not have -> 17700061. The flags select what
 * is filled: GET_RESOURCE_INFO_WITH_LABEL leaves the icon empty, GET_RESOURCE_INFO_WITH_ICON the label,
 * GET_RESOURCE_INFO_ALL (the default) fills both. getBundleResourceInfo is synchronous and throws;
 * getAllBundleResourceInfo returns a promise and rejects (argument errors, 401, throw synchronously).
 * Tests can script a failure code for the whole list or for one app, or a fault without a code, and
 * read every call.
 */
import type OfficialBundleResourceManager from '../../stubs/@ohos.bundle.bundleResourceManager';
import {
  businessError, CODE_NOT_SYSTEM_APP, CODE_PERMISSION_DENIED, hostDevice, parameterError,
  PERMISSION_GET_BUNDLE_RESOURCES, PERMISSION_GET_INSTALLED_BUNDLE_LIST
} from '../HostDevice';

type BundleResourceInfo = OfficialBundleResourceManager.BundleResourceInfo;

const BUNDLE_NOT_FOUND = 17700001;
const INVALID_APP_INDEX = 17700061;
const CLONE_APP_INDEX_MAX = 5;

export class InstalledApp {
  constructor(readonly bundleName: string, readonly label: string, readonly icon: string, readonly appIndex: number) {
  }
}

function key(bundleName: string, appIndex: number): string {
  return `${bundleName}#${appIndex}`;
}

export class HostBundleResources {
  /** Installed apps and clones, in installation order. */
  apps: InstalledApp[] = [];
  /** Code getAllBundleResourceInfo rejects with (undefined: it answers). */
  listFailure: number | undefined = undefined;
  /** Codes getBundleResourceInfo throws for one app (`name#appIndex`), before any other check. */
  readonly appFailures: Map<string, number> = new Map();
  /** Something without a code every call throws (a fault, not an answer of the system). */
  fault: Error | undefined = undefined;
  /** Every call, as `name(args)`. */
  calls: string[] = [];

  reset(): void {
    this.apps = [];
    this.listFailure = undefined;
    this.fault = undefined;
    this.appFailures.clear();
    this.calls = [];
  }

  install(bundleName: string, label: string, icon: string = '', appIndex: number = 0): void {
    this.apps.push(new InstalledApp(bundleName, label, icon, appIndex));
  }

  failFor(bundleName: string, appIndex: number, code: number): void {
    this.appFailures.set(key(bundleName, appIndex), code);
  }

  /** Calls of getBundleResourceInfo so far. */
  lookups(): number {
    return this.calls.filter((c) => c.startsWith('getBundleResourceInfo(')).length;
  }

  checkCaller(withList: boolean): void {
    if (!hostDevice.systemApp) {
      throw businessError(CODE_NOT_SYSTEM_APP, 'Permission denied, non-system app called system api.');
    }
    if (!hostDevice.isGranted(PERMISSION_GET_BUNDLE_RESOURCES) ||
      (withList && !hostDevice.isGranted(PERMISSION_GET_INSTALLED_BUNDLE_LIST))) {
      throw businessError(CODE_PERMISSION_DENIED, 'Permission denied.');
    }
  }
}

export const hostBundleResources = new HostBundleResources();

function infoOf(app: InstalledApp, flags: number): BundleResourceInfo {
  const all = (flags & bundleResourceManager.ResourceFlag.GET_RESOURCE_INFO_ALL) !== 0;
  const withLabel = all || (flags & bundleResourceManager.ResourceFlag.GET_RESOURCE_INFO_WITH_LABEL) !== 0;
  const withIcon = all || (flags & bundleResourceManager.ResourceFlag.GET_RESOURCE_INFO_WITH_ICON) !== 0;
  return {
    bundleName: app.bundleName,
    label: withLabel ? app.label : '', icon: withIcon ? app.icon : '', appIndex: app.appIndex,
  };
}

namespace bundleResourceManager {
  export enum ResourceFlag {
    GET_RESOURCE_INFO_ALL = 0x00000001,
    GET_RESOURCE_INFO_WITH_LABEL = 0x00000002,
    GET_RESOURCE_INFO_WITH_ICON = 0x00000004,
    GET_RESOURCE_INFO_WITH_SORTED_BY_LABEL = 0x00000008,
    GET_RESOURCE_INFO_WITH_DRAWABLE_DESCRIPTOR = 0x00000010
  }

  export function getBundleResourceInfo(bundleName: string, resourceFlags?: number, appIndex?: number): BundleResourceInfo {
    const host = hostBundleResources;
    host.calls.push(`getBundleResourceInfo(${JSON.stringify(bundleName)},${resourceFlags},${appIndex})`);
    if (typeof bundleName !== 'string' || (resourceFlags !== undefined && typeof resourceFlags !== 'number') ||
      (appIndex !== undefined && typeof appIndex !== 'number')) {
      throw parameterError('Incorrect parameter types.');
    }
    if (host.fault !== undefined) {
      throw host.fault;
    }
    const index = appIndex ?? 0;
    const scripted = host.appFailures.get(key(bundleName, index));
    if (scripted !== undefined) {
      throw businessError(scripted, 'scripted bundle resource failure');
    }
    host.checkCaller(false);
    if (index < 0 || index > CLONE_APP_INDEX_MAX) {
      throw businessError(INVALID_APP_INDEX, 'The appIndex is invalid.');
    }
    const app = host.apps.find((a) => a.bundleName === bundleName && a.appIndex === index);
    if (app === undefined) {
      const base = index > 0 && host.apps.some((a) => a.bundleName === bundleName && a.appIndex === 0);
      throw base ? businessError(INVALID_APP_INDEX, 'The appIndex is invalid.') :
        businessError(BUNDLE_NOT_FOUND, 'The specified bundleName is not found.');
    }
    return infoOf(app, resourceFlags ?? ResourceFlag.GET_RESOURCE_INFO_ALL);
  }

  export function getAllBundleResourceInfo(resourceFlags: number): Promise<Array<BundleResourceInfo>> {
    const host = hostBundleResources;
    host.calls.push(`getAllBundleResourceInfo(${resourceFlags})`);
    if (typeof resourceFlags !== 'number') {
      throw parameterError('Incorrect parameter types.');
    }
    if (host.fault !== undefined) {
      throw host.fault;
    }
    if (host.listFailure !== undefined) {
      return Promise.reject(businessError(host.listFailure, 'scripted bundle list failure'));
    }
    try {
      host.checkCaller(true);
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.resolve(host.apps.map((a) => infoOf(a, resourceFlags)));
  }
}

// The official declaration is the shape this stand-in keeps (checked by the host type-check).
const shape: Pick<typeof OfficialBundleResourceManager, 'getBundleResourceInfo' | 'getAllBundleResourceInfo'> = bundleResourceManager;
void shape;

export default bundleResourceManager;

/*
 * The simulated device behind the host stand-ins of system modules (tools/host/ohos/): this app as the
 * system sees it (bundle name, ability, access token, system-app signing, granted permissions, the
 * background modes module.json5 declares), the system capabilities the device has (the ArkTS global
 * canIUse, installed by the hypium runner), the device's clock, and the BusinessError the stand-ins
 * throw. Tests change it and call reset() when done; the defaults are a correctly signed Backup Manager
 * on a full device, as entry/src/main/module.json5 and AppScope/app.json5 describe it.
 */

/** The permissions the app requests in module.json5. */
export const PERMISSION_BACKUP = 'ohos.permission.BACKUP';
export const PERMISSION_KEEP_BACKGROUND_RUNNING = 'ohos.permission.KEEP_BACKGROUND_RUNNING';
export const PERMISSION_GET_BUNDLE_RESOURCES = 'ohos.permission.GET_BUNDLE_RESOURCES';
export const PERMISSION_GET_INSTALLED_BUNDLE_LIST = 'ohos.permission.GET_INSTALLED_BUNDLE_LIST';

/** Universal codes the stand-ins use. */
export const CODE_PERMISSION_DENIED = 201;
export const CODE_NOT_SYSTEM_APP = 202;
export const CODE_PARAMETER_ERROR = 401;

/** A BusinessError as the system's NAPI layer makes them: an Error with a numeric code. */
export class HostBusinessError extends Error {
  code: number;

  constructor(code: number, message: string) {
    super(message);
    this.name = 'BusinessError';
    this.code = code;
  }
}

export function businessError(code: number, message: string): HostBusinessError {
  return new HostBusinessError(code, message);
}

/** A parameter error, thrown synchronously as the NAPI layer does before any work starts. */
export function parameterError(what: string): HostBusinessError {
  return new HostBusinessError(CODE_PARAMETER_ERROR, `Parameter error. ${what}`);
}

export class HostDevice {
  bundleName = '';
  abilityName = '';
  /** The app's access token id (ApplicationInfo.accessTokenId). */
  tokenId = 0;
  /** Signed with app-feature hos_system_app. */
  systemApp = true;
  /** Permissions the access token manager reports as granted. */
  granted: Set<string> = new Set<string>();
  /** The ability's backgroundModes in module.json5. */
  backgroundModes: string[] = [];
  /** System capabilities this device lacks (every other SystemCapability.* is there). */
  missingSyscaps: Set<string> = new Set<string>();
  /** The device's clock (ms); tests point it at their ManualClock. */
  now: () => number = Date.now;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.bundleName = 'org.openharmony.backupmanager';
    this.abilityName = 'EntryAbility';
    this.tokenId = 537_001_001;
    this.systemApp = true;
    this.granted = new Set<string>([PERMISSION_BACKUP, PERMISSION_KEEP_BACKGROUND_RUNNING,
      PERMISSION_GET_BUNDLE_RESOURCES, PERMISSION_GET_INSTALLED_BUNDLE_LIST]);
    this.backgroundModes = ['dataTransfer'];
    this.missingSyscaps = new Set<string>();
    this.now = Date.now;
  }

  isGranted(permission: string): boolean {
    return this.granted.has(permission);
  }

  /** The ArkTS runtime's canIUse on this device. */
  canIUse(syscap: string): boolean {
    return typeof syscap === 'string' && syscap.startsWith('SystemCapability.') && !this.missingSyscaps.has(syscap);
  }
}

export const hostDevice = new HostDevice();

/** Defines the ArkTS global canIUse(syscap) on Node, answering for hostDevice. */
export function installCanIUse(): void {
  (globalThis as { canIUse?: (syscap: string) => boolean }).canIUse = (syscap: string): boolean => hostDevice.canIUse(syscap);
}

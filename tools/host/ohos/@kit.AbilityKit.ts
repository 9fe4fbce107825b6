/*
 * Host stand-in for the parts of '@kit.AbilityKit' that the platform adapters use, so they run on Node
 * against a simulated device (tools/host/HostDevice.ts) in tools/host-tests:
 *  - abilityAccessCtrl.createAtManager().checkAccessTokenSync(tokenID, permissionName) (sync, 11) and
 *    GrantStatus: granted when the token is this app's and hostDevice grants the permission; 401 for
 *    argument types, 12100001 for token 0 or a permission name that is empty or over 256 characters;
 *  - bundleManager.getBundleInfoForSelf(bundleFlags) (promise, 9) and BundleFlag: appInfo
 *    (accessTokenId, systemApp) is filled only with GET_BUNDLE_INFO_WITH_APPLICATION, as on a device
 *    (without it the fields keep their defaults: token 0, systemApp false);
 *  - wantAgent.getWantAgent(info) (promise, 9), OperationType, WantAgentFlags, the opaque WantAgent;
 *  - common (types only) and hostUIAbilityContext(): a UIAbilityContext with abilityInfo, filesDir,
 *    cacheDir and a resourceManager whose getStringByNameSync reads the app's base string.json.
 * Names, argument order, sync/promise and codes follow @arkts/declarations (api/@ohos.abilityAccessCtrl,
 * @ohos.bundle.bundleManager, @ohos.app.ability.wantAgent, @ohos.resourceManager). Argument errors (401)
 * throw synchronously, service failures reject. hostAbility scripts failures and records calls.
 */
import type { Permissions as OfficialPermissions } from '@arkts/declarations/dist/api/permissions';
import type officialBundleManager from '@arkts/declarations/dist/api/@ohos.bundle.bundleManager';
import type officialWantAgent from '@arkts/declarations/dist/api/@ohos.app.ability.wantAgent';
import type OfficialUIAbilityContext from '@arkts/declarations/dist/api/application/UIAbilityContext';
import { businessError, hostDevice, parameterError } from '../HostDevice';

/** Scripted failures and the record of calls into this kit. */
export class HostAbility {
  /** Code getBundleInfoForSelf rejects with (undefined: it answers). */
  bundleInfoFailure: number | undefined = undefined;
  /** Code checkAccessTokenSync throws (undefined: it answers). */
  accessTokenFailure: number | undefined = undefined;
  /** Codes the next getWantAgent calls reject with, in order. */
  wantAgentFailures: number[] = [];
  /** Every call, as `name(args)`. */
  calls: string[] = [];
  /** The WantAgentInfo of every agent handed out. */
  agents: officialWantAgent.WantAgentInfo[] = [];

  reset(): void {
    this.bundleInfoFailure = undefined;
    this.accessTokenFailure = undefined;
    this.wantAgentFailures = [];
    this.calls = [];
    this.agents = [];
  }
}

export const hostAbility = new HostAbility();

// ---- abilityAccessCtrl ----

export namespace abilityAccessCtrl {
  export type Permissions = OfficialPermissions;

  export enum GrantStatus {
    PERMISSION_DENIED = -1,
    PERMISSION_GRANTED = 0
  }

  class AtManager {
    checkAccessTokenSync(tokenID: number, permissionName: Permissions): GrantStatus {
      hostAbility.calls.push(`checkAccessTokenSync(${tokenID},${JSON.stringify(permissionName)})`);
      if (typeof tokenID !== 'number' || typeof permissionName !== 'string') {
        throw parameterError('Incorrect parameter types.');
      }
      if (tokenID === 0 || permissionName.length === 0 || permissionName.length > 256) {
        throw businessError(12100001, 'Invalid parameter. The tokenID is 0, or the string size of permissionName is larger than 256.');
      }
      if (hostAbility.accessTokenFailure !== undefined) {
        throw businessError(hostAbility.accessTokenFailure, 'scripted access token failure');
      }
      const mine = tokenID === hostDevice.tokenId;
      return mine && hostDevice.isGranted(permissionName) ? GrantStatus.PERMISSION_GRANTED : GrantStatus.PERMISSION_DENIED;
    }
  }

  export function createAtManager(): AtManager {
    return new AtManager();
  }
}

// ---- bundleManager ----

export namespace bundleManager {
  export type BundleInfo = officialBundleManager.BundleInfo;

  export enum BundleFlag {
    GET_BUNDLE_INFO_DEFAULT = 0x00000000,
    GET_BUNDLE_INFO_WITH_APPLICATION = 0x00000001,
    GET_BUNDLE_INFO_WITH_HAP_MODULE = 0x00000002,
    GET_BUNDLE_INFO_WITH_ABILITY = 0x00000004,
    GET_BUNDLE_INFO_WITH_EXTENSION_ABILITY = 0x00000008,
    GET_BUNDLE_INFO_WITH_REQUESTED_PERMISSION = 0x00000010,
    GET_BUNDLE_INFO_WITH_METADATA = 0x00000020,
    GET_BUNDLE_INFO_WITH_DISABLE = 0x00000040,
    GET_BUNDLE_INFO_WITH_SIGNATURE_INFO = 0x00000080
  }

  export function getBundleInfoForSelf(bundleFlags: number): Promise<BundleInfo> {
    hostAbility.calls.push(`getBundleInfoForSelf(${bundleFlags})`);
    if (typeof bundleFlags !== 'number') {
      throw parameterError('Incorrect parameter types.');
    }
    if (hostAbility.bundleInfoFailure !== undefined) {
      return Promise.reject(businessError(hostAbility.bundleInfoFailure, 'scripted bundle info failure'));
    }
    const withApp = (bundleFlags & BundleFlag.GET_BUNDLE_INFO_WITH_APPLICATION) !== 0;
    const info = {
      name: hostDevice.bundleName,
      appInfo: {
        name: withApp ? hostDevice.bundleName : '',
        accessTokenId: withApp ? hostDevice.tokenId : 0,
        systemApp: withApp ? hostDevice.systemApp : false,
      },
    };
    return Promise.resolve(info as unknown as BundleInfo);
  }
}

// ---- wantAgent ----

/** The system's handle of a WantAgent (opaque to apps). */
export type WantAgent = object;

export namespace wantAgent {
  export type WantAgentInfo = officialWantAgent.WantAgentInfo;

  export enum OperationType {
    UNKNOWN_TYPE = 0,
    START_ABILITY,
    START_ABILITIES,
    START_SERVICE,
    SEND_COMMON_EVENT
  }

  export enum WantAgentFlags {
    ONE_TIME_FLAG = 0,
    NO_BUILD_FLAG,
    CANCEL_PRESENT_FLAG,
    UPDATE_PRESENT_FLAG,
    CONSTANT_FLAG,
    REPLACE_ELEMENT,
    REPLACE_ACTION,
    REPLACE_URI,
    REPLACE_ENTITIES,
    REPLACE_BUNDLE
  }

  export function getWantAgent(info: WantAgentInfo): Promise<WantAgent> {
    hostAbility.calls.push(`getWantAgent(${JSON.stringify(info)})`);
    if (info === null || typeof info !== 'object' || !Array.isArray(info.wants) || typeof info.requestCode !== 'number') {
      throw parameterError('Mandatory parameters are left unspecified.');
    }
    const failure = hostAbility.wantAgentFailures.shift();
    if (failure !== undefined) {
      return Promise.reject(businessError(failure, 'scripted want agent failure'));
    }
    hostAbility.agents.push(info);
    return Promise.resolve({ hostWantAgent: hostAbility.agents.length });
  }
}

// ---- common and the ability's context ----

export namespace common {
  export type UIAbilityContext = OfficialUIAbilityContext;
}

/** The app's base strings (name -> value) from its string.json (bundled in, wherever the bundle runs). */
export function baseStrings(): Map<string, string> {
  const doc = require('../../../entry/src/main/resources/base/element/string.json') as { string: { name: string; value: string }[] };
  return new Map(doc.string.map((s) => [s.name, s.value]));
}

/** getStringByNameSync as the resource manager answers it: %d/%s (and %n$d/%n$s) formatted in order. */
export class HostResourceManager {
  constructor(readonly strings: Map<string, string>) {
  }

  getStringByNameSync(resName: string, ...args: Array<string | number>): string {
    if (typeof resName !== 'string') {
      throw parameterError('Incorrect parameter types.');
    }
    if (resName === '') {
      throw businessError(9001003, 'Invalid resource name.');
    }
    const value = this.strings.get(resName);
    if (value === undefined) {
      throw businessError(9001004, 'No matching resource is found based on the resource name.');
    }
    if (args.length === 0) {
      return value;
    }
    let next = 0;
    let failed = false;
    const text = value.replace(/%(?:(\d+)\$)?([ds])/g, (_all: string, position: string | undefined, kind: string) => {
      const index = position !== undefined ? Number(position) - 1 : next++;
      if (index < 0 || index >= args.length || (kind === 'd' && typeof args[index] !== 'number')) {
        failed = true;
        return '';
      }
      return kind === 'd' ? String(Math.trunc(args[index] as number)) : String(args[index]);
    });
    if (failed) {
      throw businessError(9001008, 'Failed to format the resource obtained based on the resource Name.');
    }
    return text;
  }
}

/** A UIAbilityContext of this app's EntryAbility, as far as the adapters read it. */
export function hostUIAbilityContext(strings: Map<string, string> = baseStrings(), filesDir: string = '/data/storage/el2/base/files',
  cacheDir: string = '/data/storage/el2/base/cache'): common.UIAbilityContext {
  const context = {
    abilityInfo: { bundleName: hostDevice.bundleName, name: hostDevice.abilityName, moduleName: 'entry' },
    resourceManager: new HostResourceManager(strings),
    filesDir,
    cacheDir,
  };
  return context as unknown as common.UIAbilityContext;
}

/*
 * Host stand-in for the part of '@kit.BasicServicesKit' that platform code run on the host uses:
 * deviceInfo.sdkApiVersion (the host plays an API 12 system unless a test sets another level), and
 * batteryInfo's pluggedType (6) and batterySOC (12) with BatteryPluggedType, which tests set (a full
 * battery on AC unless told otherwise; hostBattery.reset()).
 * AsyncCallback, BusinessError and Callback are the types of @ohos.base.
 */
export const deviceInfo: { sdkApiVersion: number } = { sdkApiVersion: 12 };

export namespace batteryInfo {
  export enum BatteryPluggedType {
    NONE,
    AC,
    USB,
    WIRELESS
  }

  export let pluggedType: BatteryPluggedType = BatteryPluggedType.AC;
  export let batterySOC: number = 100;
}

/** What the battery service reports, as the tests set it. */
export const hostBattery = {
  set(plugged: batteryInfo.BatteryPluggedType, level: number): void {
    batteryInfo.pluggedType = plugged;
    batteryInfo.batterySOC = level;
  },
  reset(): void {
    this.set(batteryInfo.BatteryPluggedType.AC, 100);
  },
};

// The kit's callback and error types are those of '@ohos.base' (types only: nothing to run).
export type { AsyncCallback, BusinessError, Callback } from '@ohos.base';

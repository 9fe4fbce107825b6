/*
 * Host stand-in for the part of '@kit.BasicServicesKit' that platform code run on the host uses:
 * deviceInfo.sdkApiVersion (the host plays an API 12 system unless a test sets another level).
 * AsyncCallback, BusinessError and Callback are the types of @ohos.base.
 */
export const deviceInfo: { sdkApiVersion: number } = { sdkApiVersion: 12 };

// The kit's callback and error types are those of '@ohos.base' (types only: nothing to run).
export type { AsyncCallback, BusinessError, Callback } from '@ohos.base';

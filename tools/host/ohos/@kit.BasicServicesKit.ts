/*
 * Host stand-in for the part of '@kit.BasicServicesKit' that platform code run on the host uses:
 * deviceInfo.sdkApiVersion (the host plays an API 12 system unless a test sets another level).
 * BusinessError is a type; nothing to stand in for.
 */
export const deviceInfo: { sdkApiVersion: number } = { sdkApiVersion: 12 };

/*
 * Declarations for tools/cli/typecheck.js. The project has no @types/node, so Node's modules are declared
 * loosely here (their members are untyped): the check is about the CLI's and the benchmarks' use of the
 * ArkTS core's types, which is where a change elsewhere can break them. cli-progress and the streams are
 * declared with the members used.
 */
declare module 'node:fs' { const fs: any; export = fs; }
declare module 'node:os' { const os: any; export = os; }
declare module 'node:path' { const path: any; export = path; }
declare module 'node:crypto' { export type Hash = any; export const createHash: any; }
declare module 'node:child_process' { export const spawn: any; export const spawnSync: any; export const execFileSync: any; }
declare module 'node:inspector' {
  export class Session {
    connect(): void;
    disconnect(): void;
    post(method: string, params: object, callback: (err: Error | null, result: object) => void): void;
  }
}
declare module 'cli-progress' {
  export class SingleBar {
    constructor(options: object);
    start(total: number, value: number, payload?: object): void;
    update(value: number, payload?: object): void;
    setTotal(total: number): void;
    stop(): void;
  }
}
declare module '@ohos/hypium' {
  export const describe: (name: string, body: () => void) => void;
  export const it: (name: string, level: number, body: () => Promise<void> | void) => void;
  export const expect: any;
}
declare const process: any;
declare const Buffer: any;
declare function setImmediate(callback: () => void): void;
declare function setInterval(callback: () => void, ms: number): number;
declare function clearInterval(handle: number): void;
declare function setTimeout(callback: () => void, ms: number): number;
declare function clearTimeout(handle: number): void;
declare namespace NodeJS {
  interface WriteStream {
    isTTY?: boolean;
    write(text: string, callback?: () => void): boolean;
  }
}

/*
 * Declarations for tools/host/typecheck.js of packages without their own types, with the members used.
 */
declare module 'cli-progress' {
  export class SingleBar {
    constructor(options: object);
    start(total: number, value: number, payload?: object): void;
    update(value: number, payload?: object): void;
    setTotal(total: number): void;
    stop(): void;
  }
}

/*
 * Host stand-in for the part of '@kit.ArkTS' that platform code run on the host uses: util.TextEncoder
 * (UTF-8, encodeInto(text) returning the bytes, as at API 11+) and process.pid. Nothing else.
 */
import { TextEncoder as NodeTextEncoder } from 'node:util';
import { pid as nodePid } from 'node:process';

export namespace util {
  export class TextEncoder {
    readonly encoding: string = 'utf-8';
    private readonly inner: NodeTextEncoder = new NodeTextEncoder();

    encodeInto(input?: string): Uint8Array {
      return this.inner.encode(input ?? '');
    }
  }
}

export namespace process {
  export const pid: number = nodePid;
}

/*
 * Host stand-in for the part of '@kit.ArkTS' that platform code run on the host uses: util.TextEncoder
 * (UTF-8, encodeInto(text) returning the bytes, as at API 11+), util.TextDecoder (create, decodeToString:
 * UTF-8 only, bad bytes become U+FFFD; a leading byte-order mark is dropped as WHATWG decoders do by
 * default) and process.pid. Nothing else.
 */
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from 'node:util';
import { pid as nodePid } from 'node:process';

export namespace util {
  export class TextEncoder {
    readonly encoding: string = 'utf-8';
    private readonly inner: NodeTextEncoder = new NodeTextEncoder();

    encodeInto(input?: string): Uint8Array {
      return this.inner.encode(input ?? '');
    }
  }

  export class TextDecoder {
    readonly encoding: string = 'utf-8';
    private readonly inner: NodeTextDecoder = new NodeTextDecoder('utf-8');

    static create(encoding?: string): TextDecoder {
      if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8' && encoding.toLowerCase() !== 'utf8') {
        throw new Error(`host stand-in of util.TextDecoder: only utf-8, not ${encoding}`);
      }
      return new TextDecoder();
    }

    decodeToString(input: Uint8Array): string {
      return this.inner.decode(input);
    }
  }
}

export namespace process {
  export const pid: number = nodePid;
}

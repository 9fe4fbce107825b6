/*
 * What a command hands back to main: an exit code, one JSON document (printed with --json) and the
 * human text (printed otherwise). Commands never write to stdout themselves, so --json output is one
 * document and nothing else by construction.
 */
import { BackupError } from '../../entry/src/main/ets/backup/model/Errors';

/** A JSON value as commands build it (plain data only). */
export type Json = string | number | boolean | null | Json[] | JsonObject;

export interface JsonObject {
  [key: string]: Json;
}

export class CommandOutput {
  readonly exitCode: number;
  readonly json: JsonObject;
  readonly text: string;

  constructor(exitCode: number, json: JsonObject, text: string) {
    this.exitCode = exitCode;
    this.json = json;
    this.text = text;
  }
}

/** A BackupError as JSON: kind, raw code, message, and the service's own text when it said something. */
export function errorJson(e: BackupError | undefined): Json {
  if (e === undefined) {
    return null;
  }
  const o: JsonObject = { kind: e.kind, code: e.rawCode, message: e.message };
  if (e.detail !== '') {
    o.detail = e.detail;
  }
  return o;
}

/** 'The app does not allow backup and restore (code 13500001)': the reason in words and the raw code. */
export function errorText(e: BackupError): string {
  return e.rawCode !== 0 ? `${e.message} (code ${e.rawCode})` : e.message;
}

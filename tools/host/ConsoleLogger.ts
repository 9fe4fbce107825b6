/*
 * Logger for the host (CLI, benchmarks, debugging tests): hilog-style lines on stderr.
 *
 *   11-27 17:23:05.123  4242  4242 I A00B00/BackupManager: session started for com.example.app
 *
 * Formats are rendered as hilog renders them in a release build: '%{public}s' / '%{public}d' show the
 * value, '%{private}s' and bare '%s' / '%d' show '<private>'. `showPrivate: true` shows every value, for
 * debugging on your own machine only.
 */
import { LogArg, Logger } from '../../entry/src/main/ets/backup/port/Logger';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Map<LogLevel, number> = new Map([['debug', 0], ['info', 1], ['warn', 2], ['error', 3]]);
const LETTER: Map<LogLevel, string> = new Map([['debug', 'D'], ['info', 'I'], ['warn', 'W'], ['error', 'E']]);

export interface ConsoleLoggerOptions {
  /** Lines below this level are dropped (default 'info'). */
  minLevel?: LogLevel;
  /** Render private values too (default false). */
  showPrivate?: boolean;
  /** hilog tag (default 'BackupManager'). */
  tag?: string;
  /** hilog domain (default 0x0B00). */
  domain?: number;
  /** Where lines go (default: process.stderr). Gets one line without the trailing newline. */
  write?: (line: string) => void;
}

// %[{public|private}]<conversion>, or a literal '%%'.
const SPEC = /%(?:\{(public|private)\})?([-+ #0]*\d*(?:\.\d+)?)([sdifxXoc%])/g;

function convert(arg: LogArg, flags: string, conv: string): string {
  switch (conv) {
    case 'd':
    case 'i':
      return typeof arg === 'number' ? String(Math.trunc(arg)) : String(arg);
    case 'f': {
      if (typeof arg !== 'number') {
        return String(arg);
      }
      const precision = /\.(\d+)/.exec(flags);
      return arg.toFixed(precision !== null ? Number(precision[1]) : 6);
    }
    case 'x':
    case 'X': {
      const text = typeof arg === 'number' ? Math.trunc(arg).toString(16) : String(arg);
      return conv === 'X' ? text.toUpperCase() : text;
    }
    case 'o':
      return typeof arg === 'number' ? Math.trunc(arg).toString(8) : String(arg);
    case 'c':
      return typeof arg === 'number' ? String.fromCharCode(arg) : String(arg);
    default:
      return String(arg);
  }
}

/** Renders a hilog format with its arguments (exported for tests). */
export function renderHilog(format: string, args: LogArg[], showPrivate: boolean): string {
  let next = 0;
  return format.replace(SPEC, (whole: string, privacy: string | undefined, flags: string, conv: string) => {
    if (conv === '%') {
      return privacy === undefined && flags === '' ? '%' : whole;
    }
    if (next >= args.length) {
      return '<missing>';
    }
    const arg = args[next++];
    if (privacy !== 'public' && !showPrivate) {
      return '<private>';
    }
    return convert(arg, flags, conv);
  });
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function timestamp(d: Date): string {
  const ms = d.getMilliseconds();
  const msText = ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : String(ms);
  return `${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:` +
    `${two(d.getSeconds())}.${msText}`;
}

export class ConsoleLogger implements Logger {
  private readonly minRank: number;
  private readonly showPrivate: boolean;
  private readonly prefix: string;
  private readonly write: (line: string) => void;

  constructor(options?: ConsoleLoggerOptions) {
    this.minRank = RANK.get(options?.minLevel ?? 'info') ?? 1;
    this.showPrivate = options?.showPrivate ?? false;
    const domain = (options?.domain ?? 0x0B00).toString(16).toUpperCase().padStart(5, '0');
    this.prefix = `A${domain}/${options?.tag ?? 'BackupManager'}`;
    this.write = options?.write ?? ((line: string) => {
      process.stderr.write(`${line}\n`);
    });
  }

  debug(format: string, ...args: LogArg[]): void {
    this.log('debug', format, args);
  }

  info(format: string, ...args: LogArg[]): void {
    this.log('info', format, args);
  }

  warn(format: string, ...args: LogArg[]): void {
    this.log('warn', format, args);
  }

  error(format: string, ...args: LogArg[]): void {
    this.log('error', format, args);
  }

  private log(level: LogLevel, format: string, args: LogArg[]): void {
    if ((RANK.get(level) ?? 0) < this.minRank) {
      return;
    }
    const pid = String(process.pid).padStart(5, ' ');
    this.write(`${timestamp(new Date())} ${pid} ${pid} ${LETTER.get(level)} ${this.prefix}: ` +
      renderHilog(format, args, this.showPrivate));
  }
}

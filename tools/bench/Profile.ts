/*
 * Where the main thread's time goes while some work runs: a V8 CPU profile (node:inspector) taken around
 * it, its samples summed by category. Used by the throughput benchmark on a separate, untimed run.
 */
import * as inspector from 'node:inspector';

export interface TimeBreakdown {
  [category: string]: number;
}

interface CallFrame {
  functionName: string;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const FS_READ = new Set(['read']);
const FS_WRITE = new Set(['writeBuffer', 'writeBuffers', 'writeString']);
const FS_OTHER = new Set(['open', 'close', 'mkdir', 'fsync', 'rename', 'unlink', 'rmdir', 'stat', 'lstat', 'fstat',
  'readdir', 'rm', 'statfs', 'ftruncate', 'realpath', 'access']);

function categoryOf(name: string): string {
  if (name === 'update' || name === 'digest') {
    return 'sha256';
  }
  if (FS_READ.has(name)) {
    return 'fs_read_calls';
  }
  if (FS_WRITE.has(name)) {
    return 'fs_write_calls';
  }
  if (FS_OTHER.has(name)) {
    return 'fs_other_calls';
  }
  if (name === '(idle)') {
    return 'idle_waiting_for_io';
  }
  if (name === '(garbage collector)') {
    return 'gc';
  }
  return 'js';
}

function post(session: inspector.Session, method: string, params?: object): Promise<object> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (err: Error | null, result?: object) => (err ? reject(err) : resolve(result ?? {})));
  });
}

/** Runs work under the CPU profiler; returns its result and the main thread's ms per category. */
export async function profileWhile<T>(work: () => Promise<T>): Promise<{ result: T; breakdown: TimeBreakdown }> {
  const session = new inspector.Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
    await post(session, 'Profiler.start');
    let failure: Error | undefined = undefined;
    let result: T | undefined = undefined;
    try {
      result = await work();
    } catch (e) {
      failure = e as Error;
    }
    const stopped = await post(session, 'Profiler.stop') as { profile: CpuProfile };
    if (failure !== undefined) {
      throw failure;
    }
    const profile = stopped.profile;
    const names = new Map<number, string>(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
    const us = new Map<string, number>();
    for (let i = 0; i < profile.samples.length; i++) {
      const cat = categoryOf(names.get(profile.samples[i]) ?? '');
      us.set(cat, (us.get(cat) ?? 0) + profile.timeDeltas[i]);
    }
    const breakdown: TimeBreakdown = {};
    for (const [cat, v] of Array.from(us.entries()).sort((a, b) => b[1] - a[1])) {
      breakdown[cat] = Math.round(v / 100) / 10;
    }
    return { result: result as T, breakdown };
  } finally {
    session.disconnect();
  }
}

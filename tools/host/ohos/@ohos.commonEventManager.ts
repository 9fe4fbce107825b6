/*
 * Host stand-in for '@ohos.commonEventManager' (createSubscriber, subscribe, unsubscribe), so adapters
 * that listen for system events run on Node. hostCommonEvents.publish() delivers an event to every
 * subscriber whose subscribe info lists it, synchronously and in subscription order, as
 * { event, code: 0, data: '', parameters }. createSubscriber rejects with 401 for a subscribe info without
 * events; subscribe and unsubscribe of an unknown subscriber throw 401 (as the NAPI layer checks).
 */
import { parameterError } from '../HostDevice';

interface SubscribeInfo {
  events: string[];
}

interface EventData {
  event: string;
  code: number;
  data: string;
  parameters: Record<string, unknown>;
}

type Callback = (err: { code: number; message: string } | null, data: EventData) => void;

class HostSubscriber {
  constructor(readonly events: string[]) {
  }
}

export class HostCommonEvents {
  private readonly subscribed: Map<HostSubscriber, Callback> = new Map();
  private readonly created: Set<HostSubscriber> = new Set();
  /** Events published, in order. */
  published: string[] = [];

  reset(): void {
    this.subscribed.clear();
    this.created.clear();
    this.published = [];
  }

  /** How many subscribers are listening now. */
  listeners(): number {
    return this.subscribed.size;
  }

  publish(event: string, parameters: Record<string, unknown>): void {
    this.published.push(event);
    for (const [s, cb] of [...this.subscribed.entries()]) {
      if (s.events.includes(event)) {
        cb(null, { event, code: 0, data: '', parameters });
      }
    }
  }

  create(info: SubscribeInfo): HostSubscriber {
    const s = new HostSubscriber([...info.events]);
    this.created.add(s);
    return s;
  }

  subscribe(s: HostSubscriber, cb: Callback): void {
    if (!this.created.has(s)) {
      throw parameterError('not a subscriber');
    }
    this.subscribed.set(s, cb);
  }

  unsubscribe(s: HostSubscriber): void {
    if (!this.created.has(s)) {
      throw parameterError('not a subscriber');
    }
    this.subscribed.delete(s);
  }
}

export const hostCommonEvents = new HostCommonEvents();

function createSubscriber(info: SubscribeInfo): Promise<HostSubscriber> {
  return new Promise<HostSubscriber>((resolve, reject) => {
    if (info === undefined || info === null || !Array.isArray(info.events) || info.events.length === 0) {
      reject(parameterError('subscribeInfo.events'));
      return;
    }
    resolve(hostCommonEvents.create(info));
  });
}

function subscribe(subscriber: HostSubscriber, callback: Callback): void {
  hostCommonEvents.subscribe(subscriber, callback);
}

function unsubscribe(subscriber: HostSubscriber): void {
  hostCommonEvents.unsubscribe(subscriber);
}

const commonEventManager = { createSubscriber, subscribe, unsubscribe };
export default commonEventManager;

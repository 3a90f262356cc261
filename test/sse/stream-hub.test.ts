import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { EventStream } from '../../src/http/sse/event-stream.js';
import { StreamHub } from '../../src/http/sse/stream-hub.js';
import { ChangeSignals } from '../../src/store/change-signals.js';
import type { ChangeSignal, Store } from '../../src/store/store.js';

/** A store that only signals, and counts its listeners. */
function signallingStore() {
  const signals = new ChangeSignals();
  let listeners = 0;
  const store = {
    onChange(listener: (signal: ChangeSignal) => void) {
      listeners++;
      const off = signals.on(listener);
      return () => {
        listeners--;
        off();
      };
    },
  } as unknown as Store;
  return { store, signals, listeners: () => listeners };
}

/** Every timer made while installed, and whether it is still pending. */
function trackTimers() {
  const pending = new Set<unknown>();
  const original = { setInterval, clearInterval, setTimeout, clearTimeout };
  globalThis.setInterval = ((fn: () => void, ms: number) => {
    const handle = original.setInterval(fn, ms);
    pending.add(handle);
    return handle;
  }) as typeof setInterval;
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    const handle = original.setTimeout(() => {
      pending.delete(handle);
      fn();
    }, ms);
    pending.add(handle);
    return handle;
  }) as typeof setTimeout;
  globalThis.clearInterval = ((handle: NodeJS.Timeout) => {
    pending.delete(handle);
    original.clearInterval(handle);
  }) as typeof clearInterval;
  globalThis.clearTimeout = ((handle: NodeJS.Timeout) => {
    pending.delete(handle);
    original.clearTimeout(handle);
  }) as typeof clearTimeout;
  return { pending: () => pending.size, restore: () => Object.assign(globalThis, original) };
}

const decoder = new TextDecoder();

describe('StreamHub and EventStream', () => {
  let timers: ReturnType<typeof trackTimers>;
  beforeEach(() => {
    timers = trackTimers();
  });
  afterEach(() => timers.restore());

  function open(hub: StreamHub, operationId: string | undefined, pump = async () => true) {
    return new EventStream({
      hub,
      ...(operationId === undefined ? {} : { operationId }),
      tenant: 't',
      initial: 'retry: 1000\n\n',
      pump,
      onError: () => {},
    });
  }

  it('holds one listener and one timer while streams are open, and none after', async () => {
    const { store, listeners } = signallingStore();
    const hub = new StreamHub(store, 10);
    const streams = [open(hub, 'a'), open(hub, 'a'), open(hub, undefined)];
    streams[2]!.wakeSoon(60_000);
    assert.deepEqual([listeners(), hub.size, timers.pending()], [1, 3, 2]);
    await streams[0]!.body.cancel(); // the adapter cancels the body when the client leaves
    streams[1]!.close(); // or the server ends it
    assert.deepEqual([listeners(), hub.size], [1, 1]);
    await streams[2]!.body.cancel();
    assert.deepEqual([listeners(), hub.size, timers.pending()], [0, 0, 0]);
  });

  it('wakes the streams of the operation or tenant signalled, coalescing bursts', async () => {
    const { store, signals } = signallingStore();
    const hub = new StreamHub(store, 60_000);
    const pumps = { a: 0, b: 0, feed: 0 };
    const counting = (key: keyof typeof pumps) => async () => {
      pumps[key]++;
      await new Promise((resolve) => setImmediate(resolve));
      return true;
    };
    const streams = [
      open(hub, 'a', counting('a')),
      open(hub, 'b', counting('b')),
      open(hub, undefined, counting('feed')),
    ];
    for (const stream of streams) await stream.body.getReader().read(); // the initial chunk
    await new Promise((resolve) => setTimeout(resolve, 5));
    const before = { ...pumps };
    for (let i = 0; i < 10; i++) signals.emit({ id: 'a', tenant: 't', kind: 'updated' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(pumps.a - before.a >= 1 && pumps.a - before.a <= 2, `a pumped ${pumps.a - before.a}`);
    assert.equal(pumps.b, before.b, 'another operation is not woken');
    assert.ok(pumps.feed > before.feed, "the tenant's feed is woken");
    for (const stream of streams) stream.close();
  });

  it('writes keep-alive comments on the interval', async () => {
    const { store } = signallingStore();
    const hub = new StreamHub(store, 5);
    const stream = open(hub, 'a');
    const reader = stream.body.getReader();
    let text = '';
    // The hub's timer is unref'd (open sockets hold a server up): hold this test up meanwhile.
    const hold = setTimeout(() => {}, 5000);
    while (!text.includes(': keep-alive')) text += decoder.decode((await reader.read()).value);
    clearTimeout(hold);
    assert.match(text, /^retry: 1000\n\n/);
    stream.close();
  });

  it('refuses a keep-alive interval that is not a positive number', () => {
    const { store } = signallingStore();
    for (const bad of [0, -1, Number.NaN])
      assert.throws(() => new StreamHub(store, bad), RangeError);
  });
});

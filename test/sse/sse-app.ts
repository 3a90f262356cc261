import { serveNode } from '../../src/adapters/node.js';
import type { Store } from '../../src/store/store.js';
import type { SseClient, SseEvent } from '../helpers/sse-client.js';
import { SuiteEnvironment, TENANT_HEADER } from '../http/suite/environment.js';

export { TENANT_HEADER };

/** The protocol suite's environment (SQLite file, demo and gated test operations) on node:http. */
export function sseEnvironment(name: string): SuiteEnvironment {
  return new SuiteEnvironment(name, async (handler, basePath) => {
    const server = await serveNode(handler, { closeGraceMs: 200 });
    return { baseUrl: `${server.url}${basePath}`, close: () => server.close() };
  });
}

/**
 * Counts the change listeners added to `store` from now on and not yet removed (the ones made
 * before, by the worker and maintenance, are the baseline and not counted).
 */
export function countListeners(store: Store): () => number {
  let count = 0;
  const onChange = store.onChange.bind(store);
  store.onChange = (listener, interest) => {
    count++;
    const remove = onChange(listener, interest);
    let removed = false;
    return () => {
      if (!removed) count--;
      removed = true;
      remove();
    };
  };
  return () => count;
}

/** The parsed data of an event. */
export const dataOf = <T = Record<string, unknown>>(event: SseEvent): T => JSON.parse(event.data);

/** `type id` of each event: a stream at a glance. */
export const framesOf = (events: readonly SseEvent[]) =>
  events.map((event) => `${event.type}#${event.id}`);

/** The events after the stream's opening snapshot, comparable across connections. */
export const afterSnapshot = (events: readonly SseEvent[]) =>
  events
    .filter((event) => event.type !== 'snapshot')
    .map((event) => ({ type: event.type, id: event.id, data: event.data }));

/** Lets a held operation pass one stage, and waits until `stream` shows that stage's message. */
export async function passStage(gate: { open(): void }, stream: SseClient, stage: number) {
  gate.open();
  await stream.until(`stage ${stage}`, (events) =>
    events.some((event) => event.type === 'message' && event.data.includes(`stage ${stage} of`)),
  );
}

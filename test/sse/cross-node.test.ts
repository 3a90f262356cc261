import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from '../helpers/api-client.js';
import { ServeProcess } from '../helpers/child-process.js';
import { DATABASE_URL, dropSchema, freshSchema, POSTGRES_SKIP } from '../helpers/postgres.js';
import { SseClient } from '../helpers/sse-client.js';
import type { OperationView } from '../helpers/views.js';
import { dataOf } from './sse-app.js';

const READY = /^longrun (listening on |worker running )/;

/**
 * Real processes on one fresh PostgreSQL schema: two API nodes (`serve --workers 0`) and a worker
 * (`worker --demo`). An operation started on one API node runs in the worker process, and a stream
 * opened on the other API node sees its every event: the log is shared, and NOTIFY wakes the stream.
 */
describe('SSE across processes on PostgreSQL', { skip: POSTGRES_SKIP }, () => {
  const schema = freshSchema();
  const processes: ServeProcess[] = [];
  const start = async (args: string[]) => {
    const child = new ServeProcess([...args, '--db', DATABASE_URL!, '--schema', schema]);
    processes.push(child);
    const line = await child.waitForLine(READY, 30_000);
    child.url = /listening on (http:\/\/\S+)/.exec(line)?.[1] ?? '';
    return child;
  };
  let nodes: ServeProcess[] = [];

  before(async () => {
    // One process migrates first, so the others start on a ready schema.
    const first = await start(['serve', '--demo', '--workers', '0', '--port', '0']);
    nodes = [first, await start(['serve', '--demo', '--workers', '0', '--port', '0'])];
    await start(['worker', '--demo', '--demo-speed', '20']);
  });

  after(async () => {
    await Promise.all(processes.map((child) => child.kill('SIGKILL')));
    await dropSchema(schema);
  });

  it('streams on one API node what a worker process does for an operation started on another', async () => {
    const [a, b] = nodes.map((node) => new ApiClient(node.url)) as [ApiClient, ApiClient];
    const feed = await SseClient.open(`${b.root}/operations/events`);
    await feed.event('snapshot');
    const started = await a.post('/lifecycle-projects', { name: 'Across', template: 'req-dev' });
    assert.equal(started.status, 202);
    const stream = await SseClient.open(`${b.root}/operations/${started.body.id}/events`);
    assert.equal(stream.status, 200);
    await stream.ended;

    assert.equal(stream.events[0]?.type, 'snapshot');
    const done = stream.events.at(-1)!;
    assert.equal(done.type, 'done');
    assert.equal(dataOf<OperationView>(done).status, 'Succeeded');
    // Every step, from the snapshot through the step events, ends Succeeded; some moved meanwhile.
    type Step = OperationView['steps'][number];
    const flatten = (steps: readonly Step[]): Step[] =>
      steps.flatMap((step) => [step, ...flatten(step.steps ?? [])]);
    const status = new Map(
      flatten(dataOf<OperationView>(stream.events[0]!).steps).map((step) => [step.id, step.status]),
    );
    const stepEvents = stream.events.filter((event) => event.type === 'step');
    assert.ok(stepEvents.length > 0, 'step events crossed from the worker process');
    for (const event of stepEvents) {
      for (const step of dataOf<{ steps: Step[] }>(event).steps) status.set(step.id, step.status);
    }
    assert.equal(status.size, flatten(dataOf<OperationView>(done).steps).length);
    assert.ok(
      [...status.values()].every((value) => value === 'Succeeded'),
      JSON.stringify([...status]),
    );

    await feed.until('the operation ending in the feed of the other node', (events) =>
      events.some(
        (event) =>
          event.type === 'status' &&
          event.data.includes(started.body.id) &&
          dataOf(event).done === true,
      ),
    );
    feed.close();
  });
});

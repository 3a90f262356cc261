import assert from 'node:assert/strict';
import { exec } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { adminQuery, POSTGRES_SKIP } from '../helpers/postgres.js';
import { PostgresCluster } from '../helpers/postgres-cluster.js';

/**
 * PostgreSQL goes away under load and comes back: nodes and workers reconnect and nothing acknowledged
 * is lost. Submissions keep going through both API nodes the whole time; a POST that fails during the
 * outage must fail quickly with a 503 problem document and Retry-After (recorded and left out), never
 * hang. Every operation that got a 202 must exist afterwards and end Succeeded, and every process must
 * be back on its LISTEN connection (the API nodes listen because a feed stream is open on each).
 *
 * The outage: by default every backend of this test's processes is terminated, again and again for
 * OUTAGE_MS (what a restart does to them, without disturbing suites running beside this one). Set
 * LONGRUN_TEST_PG_RESTART to a command to restart the server for real instead, e.g.
 * `pg_ctlcluster --skip-systemctl-redirect 15 main restart` (as root).
 */
const OUTAGE_MS = 2000;
const HANG_MS = 15_000;
const LANES = 8;
const RESTART = process.env.LONGRUN_TEST_PG_RESTART;

interface Outcome {
  sentAt: number;
  /** Milliseconds to the answer. */
  ms: number;
  status: number;
  id?: string;
  /** What was wrong with an answer that is neither a 202 nor a 503 problem with Retry-After. */
  bad?: string;
}

async function submit(url: string): Promise<Outcome> {
  const sentAt = Date.now();
  try {
    const response = await fetch(`${url}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: 2, itemMs: 20 }),
      signal: AbortSignal.timeout(HANG_MS),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const ms = Date.now() - sentAt;
    if (response.status === 202) return { sentAt, ms, status: 202, id: JSON.parse(text).id };
    // The database away is temporary: 503 + Retry-After, which stock clients retry by themselves.
    const retryAfter = response.headers.get('retry-after');
    if (response.status === 503 && type.includes('problem+json') && retryAfter !== null) {
      return { sentAt, ms, status: response.status };
    }
    return { sentAt, ms, status: response.status, bad: `${response.status} ${type}: ${text}` };
  } catch (error) {
    const ms = Date.now() - sentAt;
    return { sentAt, ms, status: 0, bad: `no answer after ${ms} ms: ${error}` };
  }
}

async function outage(cluster: PostgresCluster): Promise<string> {
  if (RESTART) {
    // Asynchronously: the submissions and their answers go on while the server restarts.
    await promisify(exec)(RESTART, { timeout: 60_000 });
    return `restarted PostgreSQL (${RESTART})`;
  }
  let terminated = 0;
  const end = Date.now() + OUTAGE_MS;
  while (Date.now() < end) {
    terminated += await cluster.terminateBackends();
    await sleep(50);
  }
  return `terminated ${terminated} backends of this cluster over ${OUTAGE_MS} ms`;
}

describe('PostgreSQL restarted under load', { skip: POSTGRES_SKIP }, () => {
  let cluster: PostgresCluster;
  before(async () => {
    cluster = await PostgresCluster.create();
  });
  after(async () => {
    await cluster?.cleanup();
  });

  it('reconnects everywhere and loses nothing acknowledged', { timeout: 120_000 }, async (t) => {
    await Promise.all([cluster.serve(), cluster.serve()]);
    await Promise.all(
      [0, 1].map(() => cluster.worker(['--concurrency', '16', '--lease-ms', '2000'])),
    );
    const urls = cluster.apiNodes.map((node) => node.url);
    // An API node listens only while something there follows operations: a feed stream on each.
    const feeds = new AbortController();
    const streams = await Promise.all(
      urls.map((url) =>
        fetch(`${url}/operations/events`, {
          headers: { accept: 'text/event-stream' },
          signal: feeds.signal,
        }),
      ),
    );
    assert.deepEqual(
      streams.map((stream) => stream.status),
      [200, 200],
    );
    const everyone = ['api1', 'api2', 'worker1', 'worker2'];
    await everyoneListening(cluster, everyone, 'every process listens before the outage');
    const outcomes: Outcome[] = [];
    let stop = false;
    let sent = 0;
    const lanes = Array.from({ length: LANES }, async () => {
      while (!stop) outcomes.push(await submit(urls[sent++ % urls.length]!));
    });

    await sleep(1500);
    const outageStart = Date.now();
    const what = await outage(cluster);
    const outageEnd = Date.now();
    await sleep(3000);
    stop = true;
    await Promise.all(lanes);

    const bad = outcomes.filter((outcome) => outcome.bad !== undefined);
    assert.deepEqual(bad, [], 'every POST answered 202 or a 503 problem, none hung');
    const acknowledged = outcomes.filter((outcome) => outcome.status === 202).map((o) => o.id!);
    const failed = outcomes.filter((outcome) => outcome.status >= 500);
    const lateAcks = outcomes.filter((o) => o.status === 202 && o.sentAt > outageEnd).length;
    t.diagnostic(
      `${what} in ${outageEnd - outageStart} ms; ${outcomes.length} POSTs: ${acknowledged.length} acknowledged (${lateAcks} after the outage), ${failed.length} failed cleanly (${[...new Set(failed.map((o) => o.status))].join(', ')}, slowest answer ${Math.max(0, ...failed.map((o) => o.ms))} ms)`,
    );
    assert.ok(lateAcks > 0, 'the API nodes took submissions again after the outage');

    const [{ n: total }] = (await adminQuery<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${cluster.schema}".operations`,
    )) as [{ n: number }];
    const counts = await cluster.allFinished(total, 60_000);
    const rows = await adminQuery<{ id: string; status: string }>(
      `SELECT id, status FROM "${cluster.schema}".operations WHERE id = ANY($1)`,
      [acknowledged],
    );
    assert.equal(rows.length, acknowledged.length, 'every acknowledged operation exists');
    assert.deepEqual(
      rows.filter((row) => row.status !== 'Succeeded'),
      [],
      'every acknowledged operation ended Succeeded',
    );
    t.diagnostic(`operations in the table afterwards: ${JSON.stringify(counts)}`);

    for (const child of [...cluster.apiNodes, ...cluster.workers]) {
      assert.equal(child.child.exitCode, null, `a process exited:\n${child.output}`);
    }
    await everyoneListening(cluster, everyone, 'every process is listening again');
    feeds.abort();
  });
});

async function everyoneListening(cluster: PostgresCluster, everyone: string[], message: string) {
  const deadline = Date.now() + 15_000;
  let listening = await cluster.listening();
  while (listening.join() !== everyone.join() && Date.now() < deadline) {
    await sleep(200);
    listening = await cluster.listening();
  }
  assert.deepEqual(listening, everyone, message);
}

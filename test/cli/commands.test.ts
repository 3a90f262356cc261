import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';
import { type DemoServer, runCli, startDemoServer } from './helpers/cli-server.js';

const LINE = /^\d\d:\d\d:\d\d (NotStarted|Running|Canceling|Succeeded|Failed|Canceled) +(\d+|–)%/;
// Demo timings are divided by 20: 16 s steps take 0.8 s, so a watch started right after sees them.
const FAIL_AT_BOOTING = '{"image": "debian-12", "failAt": "Booting", "stepMs": 16000}';
const SLOW_VM = '{"image": "debian-12", "stepMs": 60000}';

describe('longrun client commands against a real server', () => {
  let server: DemoServer;
  let dir: TempDir;
  before(async () => {
    [server, dir] = await Promise.all([startDemoServer(), createTempDir('longrun-cli-out-')]);
  });
  after(async () => {
    await Promise.all([server.close(), dir.remove()]);
  });
  const start = async (path: string, data: string) => {
    const run = await runCli(['start', `${server.url}/${path}`, '--data', data]);
    assert.equal(run.code, 0, run.stderr);
    return run.stdout.trim();
  };

  it('start prints the operation URL, one line; start --wait follows it and exits 0', async () => {
    const started = await runCli(['start', `${server.url}/reports`, '-d', '{"items": 5}']);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /^http:\/\/127\.0\.0\.1:\d+\/operations\/\S+\n$/);
    const run = await runCli(['start', 'reports', '-d', '{"items": 10, "itemMs": 400}', '--wait'], {
      LONGRUN_URL: server.url,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout.split('\n')[0]!, /^Report over 10 items \(report\.generate\) http/);
    assert.match(
      run.stdout.trim().split('\n').at(-1)!,
      / Succeeded +100% {2}10\/10 items · Processed item 10 of 10$/,
    );
  });

  it('watch of a failing VM deployment exits 1 with the error, one readable line per change', async () => {
    const url = await start('vm-deployments', FAIL_AT_BOOTING);
    const run = await runCli(['watch', url]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Failed: DeploymentFailed: Step "Booting" failed/);
    const [heading, ...lines] = run.stdout.trim().split('\n');
    assert.match(heading!, /^Deploy a VM from debian-12 \(vm\.deploy\) /);
    assert.ok(lines.length >= 2, run.stdout);
    for (const line of lines) assert.match(line, LINE);
    const withoutTime = lines.map((line) => line.slice(9));
    for (let index = 1; index < withoutTime.length; index++) {
      assert.notEqual(
        withoutTime[index],
        withoutTime[index - 1],
        'a line per change, not per read',
      );
    }
    assert.ok(
      lines.some((line) => line.includes('· Booting')),
      'names the running step',
    );
    assert.match(lines.at(-1)!, / Failed /);
    assert.ok(!run.stdout.includes('\x1b['), 'no escape codes when not on a terminal');
  });

  it('watch --json prints one parseable JSON line per change', async () => {
    const url = await start(
      'lifecycle-projects',
      '{"name": "Apollo", "template": "req-dev", "stepMs": 6000}',
    );
    const run = await runCli(['watch', url, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const snapshots = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.ok(snapshots.length >= 2);
    for (const snapshot of snapshots) assert.equal(snapshot.url, url);
    assert.deepEqual(snapshots.at(-1).status, 'Succeeded');
    assert.equal(snapshots.at(-1).done, true);
    assert.equal(snapshots.at(-1).steps[0].title, 'Creating requirements project');
  });

  it('ls lists, filters by status and kind, limits, and prints JSON lines', async () => {
    const failed = await start('vm-deployments', FAIL_AT_BOOTING);
    assert.equal((await runCli(['watch', failed])).code, 1);
    const all = await runCli(['ls', '--base-url', server.url, '--limit', '100']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout.split('\n')[0]!, /^ID +STATUS +% +KIND +CREATED \(UTC\) +TITLE$/);
    const id = failed.split('/').at(-1)!;
    assert.match(all.stdout, new RegExp(`${id}  Failed .* vm\\.deploy .* Deploy a VM`));
    assert.match(all.stdout, /report\.generate/);
    const env = { LONGRUN_URL: server.url };
    const filtered = await runCli(
      ['ls', '--status', 'failed', '--kind', 'vm.deploy', '--json'],
      env,
    );
    assert.equal(filtered.code, 0, filtered.stderr);
    const rows = filtered.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.ok(rows.some((row) => row.id === id && row.url === failed));
    for (const row of rows) assert.deepEqual([row.status, row.kind], ['Failed', 'vm.deploy']);
    const one = await runCli(['ls', '--limit', '1'], env);
    assert.equal(one.stdout.trim().split('\n').length, 2, 'header and one row');
    assert.match(one.stderr, /raise --limit/);
  });

  it('cancel, then watch exits 1 with Canceled', async () => {
    const url = await start('vm-deployments', SLOW_VM);
    const canceled = await runCli(['cancel', url]);
    assert.equal(canceled.code, 0, canceled.stderr);
    assert.match(canceled.stdout, /^Cancel(ed|ing)/);
    const watched = await runCli(['watch', url]);
    assert.equal(watched.code, 1, watched.stderr);
    assert.match(watched.stdout.trim().split('\n').at(-1)!, / Canceled /);
    assert.match(watched.stderr, / Canceled: Canceled: /);
    const again = await runCli(['cancel', url]);
    assert.equal(again.code, 0, 'canceling a canceled operation is fine');
    const result = await runCli(['result', url]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Canceled/);
  });

  it('result prints the report, or writes it to --output; get shows the state once', async () => {
    const url = await start('reports', '{"items": 7}');
    const run = await runCli(['result', url]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.items, 7);
    assert.equal(url.endsWith(report.id), true);
    const file = dir.file('report.json');
    assert.equal((await runCli(['result', url, '--output', file])).code, 0);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), report);
    const id = url.split('/').at(-1)!;
    const got = await runCli(['get', id, '--base-url', server.url]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(
      got.stdout,
      /^Report over 7 items {2}report\.generate\nSucceeded .* 100% {2}7\/7 items\n/,
    );
    const finished = await runCli(['cancel', url]);
    assert.equal(finished.code, 1, 'a succeeded operation cannot be canceled');
    assert.match(finished.stderr, /already Succeeded/);
  });
});

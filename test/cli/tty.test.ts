import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DemoServer, runCli, runCliInPty, startDemoServer } from './helpers/cli-server.js';
import { VirtualScreen } from './helpers/virtual-screen.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
const SIZE = { columns: 100, rows: 40 };
const STEP_TITLES = [
  'Creating requirements project',
  'Provisioning repository',
  'Creating development project',
  'Creating project linkages',
  'Linking requirements to development',
  'Creating lifecycle project',
  'Publishing overview',
];

function screenOf(output: string): VirtualScreen {
  const screen = new VirtualScreen();
  screen.write(output);
  return screen;
}

describe('longrun watch on a terminal (util-linux script)', { skip: !hasScript }, () => {
  let server: DemoServer;
  before(async () => {
    server = await startDemoServer();
  });
  after(() => server.close());
  const start = async (path: string, data: string) =>
    (await runCli(['start', `${server.url}/${path}`, '--data', data])).stdout.trim();

  it('redraws the step tree in place until 100 %, then shows the cursor again', async () => {
    const url = await start(
      'lifecycle-projects',
      '{"name": "Apollo", "template": "req-dev", "stepMs": 10000}',
    );
    const run = await runCliInPty(['watch', url], SIZE).exited;
    assert.equal(run.code, 0, run.stdout);
    const screen = screenOf(run.stdout);
    assert.ok(run.stdout.startsWith('\x1b[?25l'), 'hides the cursor first');
    assert.ok(run.stdout.endsWith('\x1b[?25h'), 'shows it again last');
    assert.ok((screen.seen.get('A') ?? 0) >= 3, 'moves the cursor up to redraw, frame after frame');
    assert.ok(
      (screen.seen.get('K') ?? 0) > 0 && (screen.seen.get('J') ?? 0) > 0,
      'erases leftovers',
    );
    const text = screen.text;
    assert.match(text, /^Create lifecycle project "Apollo" {2}lifecycle-project\.create\n/);
    assert.match(text, /\nSucceeded +█+ 100% {2}4\/4 steps\n/);
    assert.match(text, /\ntook \d+\.\ds\n/);
    for (const title of STEP_TITLES) assert.match(text, new RegExp(`  ✔ ${title}`));
    assert.equal(
      text.split('\n').filter((line) => line.startsWith('Succeeded')).length,
      1,
      'one frame',
    );
    assert.equal(text.split('\n').length, 3 + 2 * 4 + 2 + 3, 'heading, status, time, tree');
  });

  it('shows the running step with a bar while it runs; Ctrl-C restores the terminal', async () => {
    // 2 s a step: the view is caught while a step runs, and the operation outlives the watch.
    const url = await start('vm-deployments', '{"image": "debian-12", "stepMs": 40000}');
    const pty = runCliInPty(['watch', url], SIZE);
    const runningStep = /^ {2}\S (Reserving capacity|Creating disk|Booting) +[█░]{16}$/m;
    let screen = screenOf('');
    for (let tries = 0; tries < 100 && !runningStep.test(screen.text); tries++) {
      await sleep(100);
      screen = screenOf(pty.output());
    }
    assert.match(screen.text, runningStep);
    assert.match(screen.text, /^Running +[█░▏▎▍▌▋▊▉]{40} +\d+% {2}[0-2]\/4 steps$/m);
    assert.match(screen.text, /^elapsed \d+\.\ds/m);
    assert.match(screen.text, /^ {2}· Configuring network$/m);
    pty.type('\x03');
    const run = await pty.exited;
    assert.equal(run.code, 130, 'Ctrl-C exits 130');
    assert.ok(run.stdout.endsWith('cancels it)\r\n'), JSON.stringify(run.stdout.slice(-200)));
    assert.ok(run.stdout.includes('\x1b[?25h'), 'the cursor is shown again');
    const still = await runCli(['get', url, '--json']);
    assert.equal(JSON.parse(still.stdout).done, false, 'the operation goes on');
    await runCli(['cancel', url]);
  });

  it('a failed operation: the error on screen, the code on stderr, exit 1', async () => {
    const url = await start(
      'vm-deployments',
      '{"image": "debian-12", "failAt": "Creating disk", "stepMs": 4000}',
    );
    const run = await runCliInPty(['watch', url], SIZE).exited;
    assert.equal(run.code, 1);
    const text = screenOf(run.stdout).text;
    assert.match(text, /^Failed .*$/m);
    assert.match(text, /^DeploymentFailed: Step "Creating disk" failed/m);
    assert.match(text, /^ {2}✖ Creating disk +DeploymentFailed$/m);
    assert.match(text, /^longrun: .* Failed: DeploymentFailed: /m);
  });
});

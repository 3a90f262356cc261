import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colored, fitWidth, plain, stripAnsi, visibleLength } from '../../src/cli/terminal/ansi.js';
import { changeLine, snapshotJson } from '../../src/cli/terminal/change-line.js';
import { durationText, percentText, progressBar } from '../../src/cli/terminal/progress-bar.js';
import { renderOperation, type ViewState } from '../../src/cli/terminal/render-operation.js';
import type { OperationSnapshot } from '../../src/client/index.js';

const NOW = Date.parse('2026-01-01T10:00:10Z');

function snapshot(fields: Partial<OperationSnapshot> = {}): OperationSnapshot {
  return {
    status: 'Running',
    done: false,
    dialect: 'longrun',
    id: 'op1',
    kind: 'vm.deploy',
    title: 'Deploy a VM from debian-12',
    createdDateTime: '2026-01-01T10:00:00Z',
    percentComplete: 50,
    estimatedRemainingSeconds: 12,
    steps: [
      { id: '1', title: 'Reserving capacity', status: 'Succeeded' },
      { id: '2', title: 'Creating disk', status: 'Succeeded' },
      { id: '3', title: 'Booting', status: 'Running', percentComplete: 40, message: 'BIOS' },
      { id: '4', title: 'Configuring network', status: 'NotStarted' },
    ],
    httpStatus: 200,
    body: {},
    ...fields,
  };
}

function view(fields: Partial<ViewState> = {}): ViewState {
  return {
    url: 'http://127.0.0.1/operations/op1',
    snapshot: snapshot(),
    now: NOW,
    receivedAt: NOW - 2000,
    watchedSince: NOW - 5000,
    width: 79,
    height: 24,
    frame: 0,
    paint: plain,
    ...fields,
  };
}

describe('the terminal view, as a pure function of the snapshot', () => {
  it('renders title, status bar with percent and n/m, times, and the step tree', () => {
    assert.deepEqual(renderOperation(view()), [
      'Deploy a VM from debian-12  vm.deploy',
      'Running    ████████████████████░░░░░░░░░░░░░░░░░░░░  50%  2/4 steps',
      'elapsed 10.0s · about 10.0s left',
      '  ✔ Reserving capacity',
      '  ✔ Creating disk',
      '  ⠋ Booting              ██████▍░░░░░░░░░  40% BIOS',
      '  · Configuring network',
    ]);
  });

  it('shows n/m of the progress, the message, and the error of a failed operation', () => {
    const failed = renderOperation(
      view({
        snapshot: snapshot({
          status: 'Failed',
          done: true,
          lastUpdatedDateTime: '2026-01-01T10:00:04Z',
          progress: { completed: 21, total: 75, unit: 'items' },
          message: 'Processed item 21 of 75',
          error: { code: 'DeploymentFailed', message: 'Booting failed' },
          steps: [
            { id: '1', title: 'Booting', status: 'Failed', error: { code: 'E', message: 'x' } },
          ],
        }),
      }),
    );
    assert.match(failed[1]!, /^Failed .* 50% {2}21\/75 items$/);
    assert.equal(failed[2], 'Processed item 21 of 75');
    assert.equal(failed[3], 'took 4.0s', 'a finished operation shows its duration, no estimate');
    assert.equal(failed[4], 'DeploymentFailed: Booting failed');
    assert.equal(failed[5], '  ✖ Booting  E');
  });

  it('says what it watches before the first snapshot', () => {
    assert.deepEqual(renderOperation(view({ snapshot: undefined })), [
      '⠋ Watching http://127.0.0.1/operations/op1…',
    ]);
  });

  it('fits every line in the width and the tree in the height', () => {
    const many = Array.from({ length: 40 }, (_, index) => ({
      id: String(index),
      title: `Step number ${index} with a long title that goes on and on`,
      status: index < 20 ? 'Succeeded' : index === 20 ? 'Running' : 'NotStarted',
    }));
    const lines = renderOperation(
      view({ snapshot: snapshot({ steps: many }), width: 40, height: 15 }),
    );
    assert.ok(lines.length <= 14, `${lines.length} lines`);
    for (const line of lines) assert.ok(visibleLength(line) <= 40, line);
    assert.ok(
      lines.some((line) => line.includes('Step number 20')),
      'the running step is shown',
    );
    assert.ok(lines.some((line) => /… \d+ more above/.test(line)));
  });

  it('colours without changing the text, and cuts coloured lines without breaking sequences', () => {
    const painted = renderOperation(view({ paint: colored }));
    assert.deepEqual(painted.map(stripAnsi), renderOperation(view()));
    const cut = fitWidth(colored('red', 'abcdefghij'), 5);
    assert.equal(stripAnsi(cut), 'abcd…');
    assert.ok(cut.endsWith('\x1b[0m'));
  });
});

describe('bars and numbers', () => {
  it('draws bars in eighths and whole percents', () => {
    assert.equal(progressBar(0, 4), '░░░░');
    assert.equal(progressBar(1, 4), '████');
    assert.equal(progressBar(0.5, 4), '██░░');
    assert.equal(progressBar(1 / 16, 2), '▏░');
    assert.equal(percentText(66.67), ' 66%');
    assert.equal(percentText(undefined), '  –%');
    assert.equal(durationText(0.42), '0.4s');
    assert.equal(durationText(65), '1m 05s');
    assert.equal(durationText(7380), '2h 03m');
  });
});

describe('line output', () => {
  it('sums up a snapshot in one readable line', () => {
    assert.equal(changeLine(snapshot()), 'Running     50%  2/4 steps · Booting');
    const nested = snapshot({
      steps: [
        {
          id: '1',
          title: 'Creating test project',
          status: 'Running',
          steps: [{ id: '1.1', title: 'Applying template', status: 'Running' }],
        },
      ],
      message: 'Working',
      cancelRequested: true,
    });
    assert.equal(
      changeLine(nested),
      'Running     50%  0/1 steps · Creating test project › Applying template · Working · cancel requested',
    );
  });

  it('writes JSON lines with the url first and no raw body', () => {
    const line = snapshotJson('http://h/operations/op1', snapshot());
    const parsed = JSON.parse(line);
    assert.equal(Object.keys(parsed)[0], 'url');
    assert.equal(parsed.status, 'Running');
    assert.equal('body' in parsed, false);
    assert.ok(!line.includes('\n'));
  });
});

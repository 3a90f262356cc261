import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentStep, operationPercent, treePercent } from '../../src/protocol/step-rollup.js';
import type { StepRecord } from '../../src/store/store.js';

describe('step roll-up', () => {
  const tree: StepRecord[] = [
    { id: '1', title: 'A', status: 'Succeeded' },
    {
      id: '2',
      title: 'B',
      status: 'Running',
      steps: [
        { id: '2.1', title: 'B1', status: 'Succeeded' },
        { id: '2.2', title: 'B2', status: 'Running', progress: { completed: 1, total: 4 } },
      ],
    },
    { id: '3', title: 'C', status: 'NotStarted', weight: 2 },
  ];

  it('weights children: finished 100, running from their own counts, not started 0', () => {
    // B = (100 + 25) / 2 = 62.5; whole = (100 + 62.5 + 2 * 0) / 4
    assert.equal(treePercent(tree), 40.63);
  });

  it('prefers the operation’s own counts over its steps', () => {
    assert.equal(operationPercent({ completed: 3, total: 4 }, tree), 75);
    assert.equal(operationPercent(undefined, tree), 40.63);
    assert.equal(operationPercent(undefined, []), undefined);
  });

  it('finds the deepest running step', () => {
    assert.equal(currentStep(tree)?.title, 'B2');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operationUrls, renderOperation } from '../../src/protocol/operation-resource.js';
import { OPERATION_STATUSES } from '../../src/protocol/operation-state.js';
import type { OperationRecord } from '../../src/store/store.js';

const base: OperationRecord = {
  id: '01a2033b3233DgQRD7Sdiy-qkSWhryD4-Q',
  tenant: 't',
  kind: 'report.generate',
  title: 'Report',
  method: 'POST',
  status: 'Running',
  input: {},
  message: 'Working',
  percentComplete: 40,
  progress: { completed: 4, total: 10 },
  steps: [],
  result: undefined,
  resourceLocation: '/reports/1',
  error: undefined,
  resultHttpStatus: undefined,
  cancelRequested: false,
  attempts: 1,
  maxAttempts: 3,
  revision: 4,
  createdAt: Date.UTC(2026, 0, 1),
  updatedAt: Date.UTC(2026, 0, 1, 0, 1),
  startedAt: Date.UTC(2026, 0, 1, 0, 0, 1),
  endedAt: undefined,
  expiresAt: undefined,
};
const urls = operationUrls('https://api.example.com/v1', base.id);

describe('the operation representation', () => {
  it('offers cancel and wait only while running, and no resource location before success', () => {
    const running = renderOperation(base, urls);
    assert.equal(running.done, false);
    assert.equal(running.links.cancel, `https://api.example.com/v1/operations/${base.id}:cancel`);
    assert.equal(running.links.events, `https://api.example.com/v1/operations/${base.id}/events`);
    assert.equal(running.resourceLocation, undefined);
    assert.equal(running.createdDateTime, '2026-01-01T00:00:00.000Z');

    const succeeded = renderOperation({ ...base, status: 'Succeeded', result: { ok: 1 } }, urls);
    assert.equal(succeeded.done, true);
    assert.equal(succeeded.links.cancel, undefined);
    assert.equal(succeeded.links.events, undefined, 'no stream to follow once done');
    assert.equal(succeeded.resourceLocation, 'https://api.example.com/v1/reports/1');
    assert.equal(succeeded.percentComplete, 100);
    assert.deepEqual(succeeded.result, { ok: 1 });
  });

  it('uses no status that stock pollers would misread as success or failure', () => {
    // core-lro matches status substrings: only the terminal ones may contain "succeeded" or "fail".
    for (const status of OPERATION_STATUSES) {
      const misleading = /succeeded|fail/i.test(status);
      assert.equal(misleading, status === 'Succeeded' || status === 'Failed', status);
    }
  });

  it('keeps large results out of the representation', () => {
    const big = { text: 'x'.repeat(70_000) };
    const rendered = renderOperation({ ...base, status: 'Succeeded', result: big }, urls);
    assert.equal(rendered.result, undefined);
  });
});

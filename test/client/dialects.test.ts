import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readLocationAnswer, readStatusBody, statusFromWord } from '../../src/client/dialects.js';

describe('dialects', () => {
  it('maps status words of every dialect, in any case', () => {
    const cases: [string, string][] = [
      ['succeeded', 'Succeeded'],
      ['SUCCEEDED', 'Succeeded'],
      ['Completed', 'Succeeded'],
      ['failed', 'Failed'],
      ['Cancelled', 'Canceled'],
      ['canceling', 'Canceling'],
      ['NotStarted', 'NotStarted'],
      ['not_started', 'NotStarted'],
      ['InProgress', 'Running'],
      ['Accepted', 'Running'],
      ['Updating', 'Running'],
    ];
    for (const [word, status] of cases) assert.equal(statusFromWord(word), status, word);
  });

  it('reads longrun, Azure, Google and provisioningState bodies', () => {
    const longrun = readStatusBody({
      id: 'x',
      status: 'Running',
      done: false,
      percentComplete: 12,
      links: { self: 'http://h/operations/x', nope: 3 },
    });
    assert.equal(longrun?.dialect, 'longrun');
    assert.deepEqual(longrun?.links, { self: 'http://h/operations/x' });
    assert.equal(longrun?.percentComplete, 12);
    const azure = readStatusBody({ status: 'failed', error: { code: 'E', message: 'm' } });
    assert.deepEqual(
      [azure?.dialect, azure?.status, azure?.error],
      ['status', 'Failed', { code: 'E', message: 'm' }],
    );
    const google = readStatusBody({
      name: 'operations/1',
      done: true,
      error: { code: 1, message: 'stop' },
    });
    assert.deepEqual([google?.status, google?.error?.code], ['Canceled', 'CANCELLED']);
    assert.equal(readStatusBody({ name: 'operations/2', metadata: {} })?.status, 'Running');
    const resource = readStatusBody({ properties: { provisioningState: 'Deleting' } });
    assert.deepEqual([resource?.dialect, resource?.status], ['resource', 'Running']);
    assert.equal(readStatusBody({ anything: 1 }), undefined);
    assert.equal(readStatusBody('text'), undefined);
  });

  it('reads a Location monitor by its HTTP status', () => {
    assert.equal(readLocationAnswer(202, { status: 'Succeeded' }).status, 'Running');
    assert.equal(readLocationAnswer(204, undefined).status, 'Succeeded');
    const failed = readLocationAnswer(400, { title: 'Bad', detail: 'No such region.' });
    assert.deepEqual(failed.error, { code: 'Http400', message: 'No such region.' });
    assert.equal(
      readLocationAnswer(409, { error: { code: 'Canceled', message: 'x' } }).status,
      'Canceled',
    );
  });
});

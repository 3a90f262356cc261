import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameOperationEvents } from '../../src/protocol/operation-event-frames.js';
import {
  parseEventId,
  sseComment,
  sseMessage,
  sseRetry,
} from '../../src/protocol/server-sent-events.js';
import type { OperationEvent } from '../../src/store/store.js';

const event = (
  revision: number,
  type: OperationEvent['type'],
  data: Record<string, unknown>,
): OperationEvent => ({ operationId: 'op', revision, type, data, createdAt: 0, cursor: '' });

describe('SSE framing', () => {
  it('writes fields, one data line per line, and a blank line', () => {
    assert.equal(
      sseMessage({ event: 'step', id: '7:1', data: '{"a":1}\nsecond\r\nthird' }),
      'event: step\nid: 7:1\ndata: {"a":1}\ndata: second\ndata: third\n\n',
    );
    assert.equal(sseMessage({ data: '' }), 'data: \n\n');
    assert.equal(sseComment('keep-alive'), ': keep-alive\n\n');
    assert.equal(sseRetry(1000), 'retry: 1000\n\n');
  });

  it('refuses CR, LF (and NUL) in the event and id fields', () => {
    for (const bad of ['a\nb', 'a\rb', 'a\r\nid: 9', 'a\0']) {
      assert.throws(() => sseMessage({ event: bad, data: 'x' }), RangeError);
      assert.throws(() => sseMessage({ id: bad, data: 'x' }), RangeError);
    }
    assert.throws(() => sseComment('a\nevent: x'), RangeError);
  });

  it('reads back only the ids it gives', () => {
    assert.deepEqual(parseEventId('7'), { revision: 7 });
    assert.deepEqual(parseEventId('7:2'), { revision: 7, part: 2 });
    assert.deepEqual(parseEventId(' 12 '), { revision: 12 });
    for (const bad of [null, undefined, '', 'x', '-1', '1.5', '07', '7:', ':1', '7:1:2', '1e3']) {
      assert.equal(parseEventId(bad), undefined, String(bad));
    }
  });
});

describe('operation event frames', () => {
  const log = [
    event(3, 'step', { steps: [{ id: '1', title: 'A', status: 'Succeeded' }] }),
    event(3, 'progress', { percentComplete: 50 }),
    event(4, 'message', { message: 'half' }),
    event(5, 'step', {
      steps: [{ id: '2', title: 'B', status: 'Running', progress: { completed: 1, total: 4 } }],
    }),
    event(5, 'status', { status: 'Succeeded', done: true }),
  ];
  const frames = (text: string) =>
    text
      .split('\n\n')
      .filter(Boolean)
      .map((block) => {
        const fields = Object.fromEntries(block.split('\n').map((line) => line.split(': ', 2)));
        return `${fields.event}#${fields.id}`;
      });

  it('ids the last event of a revision with the revision, earlier ones with revision:index', () => {
    const framed = frameOperationEvents(log.slice(0, 3), { revision: 2 });
    assert.deepEqual(frames(framed.text), ['step#3:0', 'progress#3', 'message#4']);
    assert.deepEqual([framed.position, framed.ended], [{ revision: 4 }, false]);
  });

  it('resumes part-way through a revision, and skips what was sent', () => {
    assert.deepEqual(frames(frameOperationEvents(log.slice(0, 3), { revision: 3, part: 0 }).text), [
      'progress#3',
      'message#4',
    ]);
    assert.deepEqual(frames(frameOperationEvents(log.slice(0, 3), { revision: 3 }).text), [
      'message#4',
    ]);
  });

  it('leaves the revision id of the last revision to done, and gives steps their percent', () => {
    const framed = frameOperationEvents(log, { revision: 4 });
    assert.deepEqual(frames(framed.text), ['step#5:0', 'status#5:1']);
    assert.deepEqual([framed.position, framed.ended], [{ revision: 5, part: 1 }, true]);
    const step = JSON.parse(framed.text.split('\n')[2]!.slice('data: '.length));
    assert.equal(step.steps[0].percentComplete, 25);
    const resumed = frameOperationEvents(log.slice(3), { revision: 5, part: 1 });
    assert.deepEqual([resumed.text, resumed.ended], ['', true], 'all sent: only done is left');
  });
});

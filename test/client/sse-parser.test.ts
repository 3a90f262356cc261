import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser } from '../../src/client/transports/sse-parser.js';

describe('SseParser', () => {
  it('parses events, ids, retry and comments, whatever the chunking and line ends', () => {
    const stream =
      '\uFEFFretry: 250\r\n: heartbeat\r\n\r\nevent: snapshot\r\nid: 7\r\ndata: {"a":1}\r\n\r' +
      '\ndata: line one\ndata:line two\n\nevent: done\rid: 8\rdata\r\r';
    const expected = [
      { type: 'snapshot', data: '{"a":1}', id: '7' },
      { type: 'message', data: 'line one\nline two', id: '7' },
      { type: 'done', data: '', id: '8' },
    ];
    for (const size of [1, 2, 3, 7, stream.length]) {
      const parser = new SseParser();
      const events = [];
      for (let at = 0; at < stream.length; at += size) {
        events.push(...parser.push(stream.slice(at, at + size)));
      }
      assert.deepEqual(events, expected, `chunks of ${size}`);
      assert.equal(parser.retryMs, 250);
      assert.equal(parser.lastEventId, '8');
    }
  });

  it('keeps an unfinished event for later and ignores a bad retry and ids with NUL', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('retry: soon\nid: a\0b\ndata: x'), []);
    assert.equal(parser.retryMs, undefined);
    assert.deepEqual(parser.push('\n\n'), [{ type: 'message', data: 'x', id: '' }]);
  });
});

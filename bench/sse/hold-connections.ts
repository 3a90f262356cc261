/**
 * Child process of the SSE memory benchmark (connections.ts): opens `count` event streams to the
 * server over raw sockets (plain HTTP/1.1, no client library to weigh on either side), spread over
 * the given operations, and holds them until told to stop. Reports `held` once every stream has
 * received its `snapshot`.
 */
import { connect, type Socket } from 'node:net';

const sockets: Socket[] = [];

function open(url: URL, id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    sockets.push(socket);
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('event: snapshot')) return;
      if (!seen.startsWith('HTTP/1.1 200')) return reject(new Error(seen.slice(0, 200)));
      socket.off('data', onData);
      socket.on('data', () => {}); // keep reading keep-alive comments
      resolve();
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(
      `GET /operations/${id}/events HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`,
    );
  });
}

process.on(
  'message',
  async (message: { type: string; url: string; ids: string[]; count: number }) => {
    if (message.type === 'hold') {
      const url = new URL(message.url);
      const started = Date.now();
      // In waves, so the listen backlog is never overrun.
      for (let first = 0; first < message.count; first += 250) {
        const wave: Promise<void>[] = [];
        for (let i = first; i < Math.min(message.count, first + 250); i++) {
          wave.push(open(url, message.ids[i % message.ids.length]!));
        }
        await Promise.all(wave);
      }
      process.send!({ type: 'held', count: sockets.length, ms: Date.now() - started });
    } else if (message.type === 'stop') {
      for (const socket of sockets) socket.destroy();
      process.exit(0);
    }
  },
);
process.send!({ type: 'ready' });

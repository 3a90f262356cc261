import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchHandler } from '../../src/index.js';

/** A server that runs the handler, reachable at `baseUrl` (the mount root, e.g. `http://127.0.0.1:5123/v1`). */
export interface MountedServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** Mounts a longrun handler under `basePath` with some framework, listening on loopback port 0. */
export type Mount = (handler: FetchHandler, basePath: string) => Promise<MountedServer>;

/** Listens with a plain node:http server on 127.0.0.1, port 0; resolves with its origin. */
export async function listenOnLoopback(
  listener: RequestListener,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

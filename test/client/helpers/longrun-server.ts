import type { Server } from 'node:http';
import { serveNode } from '../../../src/adapters/node.js';
import type { FetchHandler } from '../../../src/index.js';
import type { Mount } from '../../helpers/servers.js';
import { type AppOptions, SuiteEnvironment, type TestApp } from '../../http/suite/environment.js';
import type { Gates } from '../../http/suite/gates.js';
import { RequestLog } from './request-log.js';

/** A real longrun app (demo + test operations, SQLite) on loopback, watched by the test. */
export interface LongrunServer {
  /** Mount root, e.g. `http://127.0.0.1:5123/v1`. */
  readonly root: string;
  readonly app: TestApp;
  readonly gates: Gates;
  /** Every request the handler got. */
  readonly log: RequestLog;
  /** Cuts every open connection (long-polls and event streams included); the server keeps listening. */
  cutConnections(): void;
}

/**
 * Longrun apps for client tests, on the HTTP suite's environment (its SQLite temp dir, demo at speed
 * 20, the gated `POST /held` operation), served by `serveNode` behind a handler that logs requests.
 */
export class LongrunServers {
  readonly #mounted: { log: RequestLog; server: Server }[] = [];
  readonly #env = new SuiteEnvironment('client', this.#mount);

  setUp(): Promise<void> {
    return this.#env.setUp();
  }

  tearDown(): Promise<void> {
    return this.#env.tearDown();
  }

  async start(name: string, options: AppOptions = {}): Promise<LongrunServer> {
    const app = await this.#env.app(name, { tenantHeader: false, ...options });
    const { log, server } = this.#mounted.at(-1)!;
    return {
      root: app.root,
      app,
      gates: this.#env.gates,
      log,
      cutConnections: () => server.closeAllConnections(),
    };
  }

  get #mount(): Mount {
    return async (handler: FetchHandler, basePath: string) => {
      const log = new RequestLog();
      const node = await serveNode((request) => log.around(request, handler), {
        closeGraceMs: 200,
      });
      this.#mounted.push({ log, server: node.server });
      return { baseUrl: `${node.url}${basePath}`, close: () => node.close() };
    };
  }
}

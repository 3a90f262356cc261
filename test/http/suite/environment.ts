import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import { createDemo } from '../../../src/demo/index.js';
import { createLongrun, type Longrun, type LongrunOptions } from '../../../src/index.js';
import { SqliteStore } from '../../../src/store/sqlite/index.js';
import { ApiClient } from '../../helpers/api-client.js';
import type { Mount } from '../../helpers/servers.js';
import { createTempDir, type TempDir } from '../../helpers/temp-dir.js';
import { Gates } from './gates.js';
import { testRoutes } from './test-operations.js';

export const BASE_PATH = '/v1';
/** Demo timings divided by this: a 40 ms report item takes 2 ms. */
export const DEMO_SPEED = 20;
/** Header that picks the tenant in apps without API keys, so each test lists only its own operations. */
export const TENANT_HEADER = 'x-test-tenant';

export interface AppOptions
  extends Omit<LongrunOptions, 'store' | 'operations' | 'routes' | 'basePath'> {
  /**
   * Without API keys, apps take the tenant from the TENANT_HEADER (default), so each test sees only its
   * own operations; `false` keeps longrun's default of one anonymous tenant.
   */
  tenantHeader?: boolean;
}

/** One longrun app (its own SQLite file) served by the mount under test. */
export interface TestApp {
  /** Absolute mount root, e.g. `http://127.0.0.1:5123/v1`. */
  readonly root: string;
  readonly dbPath: string;
  readonly longrun: Longrun;
  /** A client for a fresh tenant of its own (unless the headers say otherwise). */
  client(headers?: Record<string, string>): ApiClient;
  close(): Promise<void>;
}

/**
 * What every part of the suite shares for one mount: the temp dir holding the SQLite files of this
 * test file, the gates of the held test operation, and the way to start an app.
 */
export class SuiteEnvironment {
  readonly mountName: string;
  readonly gates = new Gates();
  readonly #mount: Mount;
  readonly #apps = new Set<TestApp>();
  #dir: TempDir | undefined;

  constructor(mountName: string, mount: Mount) {
    this.mountName = mountName;
    this.#mount = mount;
  }

  async setUp(): Promise<void> {
    this.#dir = await createTempDir(`longrun-http-${this.mountName}-`);
  }

  async tearDown(): Promise<void> {
    await Promise.all([...this.#apps].map((app) => app.close()));
    await this.#dir?.remove();
  }

  /** Starts an app on a real SQLite file, with the demo and the test operations, mounted at /v1. */
  async app(name: string, options: AppOptions = {}): Promise<TestApp> {
    if (!this.#dir) throw new Error('SuiteEnvironment.setUp() has not run');
    const dbPath = this.#dir.file(`${name}.db`);
    const demo = createDemo({ speed: DEMO_SPEED });
    const { tenantHeader = !options.apiKeys, ...longrunOptions } = options;
    const longrun = createLongrun({
      store: new SqliteStore(dbPath),
      basePath: BASE_PATH,
      routes: [...demo.routes, ...testRoutes(this.gates)],
      ...(tenantHeader
        ? {
            authenticate: (request) => ({
              tenant: request.headers.get(TENANT_HEADER) ?? 'anonymous',
            }),
          }
        : {}),
      ...longrunOptions,
    });
    await longrun.start();
    const server = await this.#mount(longrun.handler, BASE_PATH);
    let closing: Promise<void> | undefined;
    const app: TestApp = {
      root: server.baseUrl,
      dbPath,
      longrun,
      client: (headers = {}) =>
        new ApiClient(server.baseUrl, { [TENANT_HEADER]: `tenant-${randomUUID()}`, ...headers }),
      close: () => {
        this.#apps.delete(app);
        closing ??= server.close().then(() => longrun.stop(200));
        return closing;
      },
    };
    this.#apps.add(app);
    return app;
  }

  /** Starts an app before the tests of the enclosing `describe` and closes it after them. */
  useApp(name: string, options: AppOptions = {}): () => TestApp {
    let app: TestApp | undefined;
    before(async () => {
      app = await this.app(name, options);
    });
    after(() => app?.close());
    return () => {
      if (!app) throw new Error(`App "${name}" has not started`);
      return app;
    };
  }
}

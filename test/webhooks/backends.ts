import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { DATABASE_URL, dropSchema, freshSchema, postgresStore } from '../helpers/postgres.js';
import { createTempDir } from '../helpers/temp-dir.js';

/** Where a suite's stores live: `open(name)` twice gives the same database (a restart). */
export interface Backend {
  name: string;
  skip: string | false;
  setUp(): Promise<void>;
  open(name: string): Store;
  tearDown(): Promise<void>;
}

function sqlite(): Backend {
  let dir: Awaited<ReturnType<typeof createTempDir>> | undefined;
  return {
    name: 'SQLite',
    skip: false,
    async setUp() {
      dir = await createTempDir('longrun-webhooks-');
    },
    open: (name) => new SqliteStore(dir!.file(`${name}.db`)),
    tearDown: async () => dir?.remove(),
  };
}

function postgres(): Backend {
  const schemas = new Map<string, string>();
  return {
    name: 'PostgreSQL',
    skip: DATABASE_URL ? false : 'DATABASE_URL is not set: PostgreSQL suites skipped',
    async setUp() {},
    open(name) {
      if (!schemas.has(name)) schemas.set(name, freshSchema());
      return postgresStore(schemas.get(name)!);
    },
    async tearDown() {
      for (const schema of schemas.values()) await dropSchema(schema);
    },
  };
}

export const backends = (): Backend[] => [sqlite(), postgres()];

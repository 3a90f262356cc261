import { Command } from 'commander';
import { isPostgresUrl, openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';

const redact = (db: string) =>
  isPostgresUrl(db) ? db.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : db;

/** Checks that the database answers and that its schema is the one this longrun needs. */
async function doctor(options: { db: string; schema?: string }): Promise<void> {
  console.log(`Database: ${redact(options.db)}`);
  let store: Store | undefined;
  let healthy = false;
  try {
    store = await openStore(
      options.db,
      options.schema === undefined ? {} : { schema: options.schema },
    );
    const started = performance.now();
    const { current, latest } = await store.schemaVersion();
    console.log(`  ✓ reachable (answered in ${(performance.now() - started).toFixed(1)} ms)`);
    if (current === latest) {
      console.log(`  ✓ schema at version ${current}, the latest`);
      healthy = true;
    } else if (current < latest) {
      console.log(
        `  ✗ schema at version ${current}; this longrun needs ${latest}: run "longrun migrate"`,
      );
    } else {
      console.log(
        `  ✗ schema at version ${current} is newer than this longrun (${latest}): upgrade longrun`,
      );
    }
  } catch (error) {
    console.log(`  ✗ not usable: ${(error as Error).message}`);
  } finally {
    await store?.close();
  }
  process.exitCode = healthy ? 0 : 1;
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('Check that the database answers and its schema version matches this longrun.')
    .option('--db <path|url>', 'SQLite file, or postgres://user@host:5432/db', './data/longrun.db')
    .option('--schema <name>', 'PostgreSQL schema of longrun’s tables (default longrun)')
    .addHelpText(
      'after',
      '\nExit code 0 when healthy, 1 otherwise.\n\nExample:\n  $ longrun doctor --db postgres://postgres@127.0.0.1:5432/app',
    )
    .action(doctor);
}

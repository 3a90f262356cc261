import { Command } from 'commander';
import { openStore } from '../../store/open-store.js';

async function migrate(options: { db: string; schema?: string }): Promise<void> {
  const store = await openStore(
    options.db,
    options.schema === undefined ? {} : { schema: options.schema },
  );
  try {
    const before = await store.schemaVersion();
    await store.migrate();
    const after = await store.schemaVersion();
    console.log(
      before.current === after.current
        ? `Schema already at version ${after.current}; nothing to do.`
        : `Schema migrated from version ${before.current} to ${after.current}.`,
    );
  } finally {
    await store.close();
  }
}

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('Apply pending schema migrations (safe while other processes start or run).')
    .option('--db <path|url>', 'SQLite file, or postgres://user@host:5432/db', './data/longrun.db')
    .option('--schema <name>', 'PostgreSQL schema of longrun’s tables (default longrun)')
    .addHelpText(
      'after',
      `
Examples:
  $ longrun migrate --db postgres://postgres@127.0.0.1:5432/app
  $ longrun migrate --db ./data/longrun.db

serve and worker migrate at start-up too, unless started with --no-migrate.`,
    )
    .action(migrate);
}

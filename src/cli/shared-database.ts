import { InvalidArgumentError } from 'commander';
import { capabilitiesOf } from '../store/open-store.js';

/**
 * `longrun worker` and `serve --workers 0` split one database between processes. A SQLite file
 * cannot be split: its process keeps the operations it wrote in memory and hears only its own
 * changes, so what another process wrote would go unseen (and a SQLite API node's operations would
 * never run). Refused before the file is opened, with what to do instead.
 */
export async function requireSharedDatabase(db: string, role: string, instead: string) {
  if ((await capabilitiesOf(db)).sharedAcrossProcesses) return;
  throw new InvalidArgumentError(
    `${role} shares its database with other processes, and a SQLite file (${db}) belongs to one process: ${instead}, or use --db postgres://...`,
  );
}

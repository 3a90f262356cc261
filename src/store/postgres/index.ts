export type { PostgresConnection, PostgresOptions, PostgresTuning } from './postgres-config.js';
export {
  latestPostgresVersion,
  POSTGRES_MIGRATIONS,
  postgresSchemaVersion,
} from './postgres-migrations.js';
export { PostgresStore } from './postgres-store.js';

export type { SqliteOptions } from './sqlite-config.js';
export { SqliteStore } from './sqlite-store.js';

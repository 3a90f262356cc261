/** `npm run bench:postgres`: the PostgreSQL section of the benchmark alone, as one markdown table. */
import { renderTable } from '../table.js';
import { measurePostgres } from './index.js';

const log = (line: string) => console.error(`[bench] ${line}`);
const started = Date.now();
const rows = await measurePostgres(log);
if (rows.length > 0) console.log(`\n${renderTable(rows)}\n`);
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);

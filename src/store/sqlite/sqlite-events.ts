import type BetterSqlite3 from 'better-sqlite3';
import type { EventHistory, OperationEvent, OperationEventType, TenantEvents } from '../store.js';

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** A row of `operation_events` (migrations/0002-operation-events.ts). */
interface EventRow {
  seq: number;
  operation_id: string;
  revision: number;
  type: string;
  data: string;
  created_at: number;
}

/** The tenant feed's cursor here: the event's `seq`, as decimal digits. */
const CURSOR = /^(0|[1-9]\d{0,15})$/;

/**
 * Reads of the event log the triggers of migration 0002 write. Reads need no transaction: one
 * connection does every read and write of the file, synchronously, so each read sees whole commits.
 */
export class SqliteEventLog {
  readonly #position: Statement;
  readonly #events: Statement;
  readonly #feed: Statement;
  readonly #feedEnd: Statement;

  constructor(db: BetterSqlite3.Database) {
    // The operation's revision and the oldest revision its log still holds (index seek, then min()).
    this.#position = db.prepare(`SELECT o.revision AS current,
        (SELECT min(revision) FROM operation_events WHERE operation_id = o.id) AS oldest
      FROM operations AS o WHERE o.id = ? AND o.tenant = ?`);
    // Served by operation_events_by_operation; seq orders the events of one revision.
    this.#events = db.prepare(`SELECT * FROM operation_events
      WHERE operation_id = ? AND revision > ? ORDER BY revision, seq LIMIT ?`);
    // Served by operation_events_by_tenant.
    this.#feed = db.prepare(
      'SELECT * FROM operation_events WHERE tenant = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    // AUTOINCREMENT keeps the highest seq ever given here, even once that event is gone.
    this.#feedEnd = db.prepare(`SELECT coalesce(
      (SELECT seq FROM sqlite_sequence WHERE name = 'operation_events'), 0) AS seq`);
  }

  read(tenant: string, id: string, afterRevision: number, limit: number): EventHistory {
    const position = this.#position.get(id, tenant) as
      | { current: number; oldest: number | null }
      | undefined;
    if (!position) return { outcome: 'missing' };
    if (position.current <= afterRevision) return { outcome: 'events', events: [] };
    if (position.oldest === null || position.oldest > afterRevision + 1) {
      return { outcome: 'trimmed' };
    }
    const rows = this.#events.all(id, afterRevision, limit) as EventRow[];
    return { outcome: 'events', events: rows.map(toEvent) };
  }

  readTenant(tenant: string, after: string | undefined, limit: number): TenantEvents {
    const end = (this.#feedEnd.get() as { seq: number }).seq;
    // A cursor past the end was never given by this file (another database, or one restored).
    if (after === undefined || !CURSOR.test(after) || Number(after) > end) {
      return { events: [], cursor: String(end), restarted: true, settled: true };
    }
    const rows = limit > 0 ? (this.#feed.all(tenant, Number(after), limit) as EventRow[]) : [];
    const events = rows.map(toEvent);
    return { events, cursor: events.at(-1)?.cursor ?? after, restarted: false, settled: true };
  }
}

function toEvent(row: EventRow): OperationEvent {
  return {
    operationId: row.operation_id,
    revision: row.revision,
    type: row.type as OperationEventType,
    data: JSON.parse(row.data),
    createdAt: row.created_at,
    cursor: String(row.seq),
  };
}

import type { Pool } from 'pg';
import type { EventHistory, OperationEvent, OperationEventType, TenantEvents } from '../store.js';
import type { SqlNames } from './postgres-config.js';
import { rows, type Statement, statement } from './postgres-connection.js';
import { feedHorizonSql, readEventsSql, readTenantEventsSql } from './queries/read-events.js';

/** An event as the reads return it: bigint columns as numbers (they stay below 2^53), tx as text. */
interface EventRow {
  seq: number | string;
  tx: string;
  operation_id: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  created_at: number | string;
}

/** The tenant feed's cursor here: `<tx>-<seq>`, both decimal (see migrations/0002). */
const CURSOR = /^(\d{1,20})-(\d{1,19})$/;

/** Reads of the event log the triggers of migration 0002 write; one round trip each. */
export class PostgresEventLog {
  readonly #events: Statement;
  readonly #feed: Statement;
  readonly #horizon: Statement;

  constructor(names: SqlNames) {
    this.#events = statement('readEvents', readEventsSql(names));
    this.#feed = statement('readTenantEvents', readTenantEventsSql(names));
    this.#horizon = statement('feedHorizon', feedHorizonSql());
  }

  async read(
    pool: Pool,
    tenant: string,
    id: string,
    afterRevision: number,
    limit: number,
  ): Promise<EventHistory> {
    const found = await rows<
      Partial<EventRow> & { current: number; oldest: number | null; operation_id?: string }
    >(pool, this.#events, [id, tenant, afterRevision, limit]);
    const first = found[0];
    if (!first) return { outcome: 'missing' };
    if (first.current <= afterRevision) return { outcome: 'events', events: [] };
    if (first.oldest === null || first.oldest > afterRevision + 1) return { outcome: 'trimmed' };
    const events = found
      .filter((row) => row.type !== null && row.type !== undefined)
      .map((row) => toEvent({ ...row, operation_id: id } as EventRow));
    return { outcome: 'events', events };
  }

  async readTenant(
    pool: Pool,
    tenant: string,
    after: string | undefined,
    limit: number,
  ): Promise<TenantEvents> {
    const position = after === undefined ? null : CURSOR.exec(after);
    if (position) {
      const [page] = await rows<{
        horizon: string;
        valid: boolean;
        held: boolean;
        events: EventRow[];
      }>(pool, this.#feed, [tenant, position[1], position[2], limit]);
      if (page?.valid) {
        const events = page.events.map(toEvent);
        const cursor = events.at(-1)?.cursor ?? after!;
        return { events, cursor, restarted: false, settled: !page.held };
      }
    }
    const [now] = await rows<{ horizon: string }>(pool, this.#horizon, []);
    return { events: [], cursor: `${now!.horizon}-0`, restarted: true, settled: true };
  }
}

function toEvent(row: EventRow): OperationEvent {
  return {
    operationId: row.operation_id,
    revision: row.revision,
    type: row.type as OperationEventType,
    data: row.data,
    createdAt: Number(row.created_at),
    cursor: `${row.tx}-${row.seq}`,
  };
}

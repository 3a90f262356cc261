import type { SqlNames } from './postgres-config.js';
import { type Statement, statement } from './postgres-connection.js';
import { cancelQueuedSql, markCancelingSql } from './queries/cancel-operation.js';
import { claimOperationsSql } from './queries/claim-operations.js';
import { deleteOperationSql, entombSql, purgeSql } from './queries/expire-operations.js';
import {
  forgetStaleKeySql,
  insertOperationsSql,
  insertUnkeyedOperationsSql,
} from './queries/insert-operations.js';
import { leaseWritesSql } from './queries/lease-writes.js';
import {
  byResourceSql,
  cancelTargetSql,
  getOperationSql,
  operationsByIdSql,
} from './queries/read-operations.js';
import { expiredLeasesSql, recoverLeasesSql } from './queries/recover-leases.js';

/**
 * Every fixed statement the PostgreSQL store runs, written once for its schema (one module per
 * statement under queries/, each saying what it does and why). Values always go in as parameters.
 * Writes are fenced: they match `lease_token`, so a worker that lost its lease changes zero rows.
 */
export function postgresStatements(names: SqlNames) {
  const texts = {
    insertOperations: insertOperationsSql(names),
    insertUnkeyedOperations: insertUnkeyedOperationsSql(names),
    forgetStaleKey: forgetStaleKeySql(names),
    getOperation: getOperationSql(names),
    operationsById: operationsByIdSql(names),
    byResource: byResourceSql(names),
    claimOperations: claimOperationsSql(names),
    leaseWrites: leaseWritesSql(names),
    cancelTarget: cancelTargetSql(names),
    markCanceling: markCancelingSql(names),
    cancelQueued: cancelQueuedSql(names),
    deleteOperation: deleteOperationSql(names),
    entomb: entombSql(names),
    purge: purgeSql(names),
    expiredLeases: expiredLeasesSql(names),
    recoverLeases: recoverLeasesSql(names),
  };
  return Object.fromEntries(
    Object.entries(texts).map(([label, text]) => [label, statement(label, text)]),
  ) as Record<keyof typeof texts, Statement>;
}

export type PostgresStatements = ReturnType<typeof postgresStatements>;

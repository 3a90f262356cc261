import { Listeners } from '../listeners.js';
import type { ChangeSignal } from './store.js';

/** In-process "look again" fan-out of a store's change signals. */
export class ChangeSignals extends Listeners<ChangeSignal> {}

/** The signal of a change to `operation`; a `created` one names the operation's kind for workers. */
export function changeSignal(
  operation: { id: string; tenant: string; kind?: string },
  kind: ChangeSignal['kind'],
): ChangeSignal {
  const signal: ChangeSignal = { id: operation.id, tenant: operation.tenant, kind };
  if (kind === 'created' && operation.kind !== undefined) signal.operationKind = operation.kind;
  return signal;
}

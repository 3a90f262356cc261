/** Public status of an operation. Names follow Azure's LRO guidelines (the strictest stock poller). */
export type OperationStatus =
  | 'NotStarted'
  | 'Running'
  | 'Canceling'
  | 'Succeeded'
  | 'Failed'
  | 'Canceled';

export type TerminalStatus = 'Succeeded' | 'Failed' | 'Canceled';

export const OPERATION_STATUSES: readonly OperationStatus[] = [
  'NotStarted',
  'Running',
  'Canceling',
  'Succeeded',
  'Failed',
  'Canceled',
];

export function isTerminal(status: OperationStatus): status is TerminalStatus {
  return status === 'Succeeded' || status === 'Failed' || status === 'Canceled';
}

export function isOperationStatus(value: string): value is OperationStatus {
  return (OPERATION_STATUSES as readonly string[]).includes(value);
}

export type StepStatus = 'NotStarted' | 'Running' | 'Succeeded' | 'Failed' | 'Canceled' | 'Skipped';

export function isStepFinished(status: StepStatus): boolean {
  return status !== 'NotStarted' && status !== 'Running';
}

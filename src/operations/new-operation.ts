import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type ErrorBody, ProblemError } from '../protocol/problem.js';
import type { IdempotencyClaim, NewOperation, StartMethod } from '../store/store.js';
import type { AnyOperation } from './define-operation.js';
import { plannedSteps } from './step-tree.js';

function pathOf(issue: StandardSchemaV1.Issue): string {
  if (!issue.path || issue.path.length === 0) return '(input)';
  return issue.path
    .map((segment) => (typeof segment === 'object' ? segment.key : segment))
    .map(String)
    .join('.');
}

/** Runs the operation's Standard Schema validator: its output, or a 422 listing every issue. */
export async function validateInput(definition: AnyOperation, value: unknown): Promise<unknown> {
  const result = await definition.input['~standard'].validate(value);
  if (!result.issues) return result.value;
  const details: ErrorBody[] = result.issues.map((issue) => ({
    code: 'InvalidValue',
    message: issue.message,
    target: pathOf(issue),
  }));
  const summary = details.map((detail) => `${detail.target}: ${detail.message}`).join('; ');
  throw new ProblemError(
    'ValidationFailed',
    `The input for "${definition.kind}" is not valid: ${summary}.`,
    { details },
  );
}

/**
 * The record to store for a new operation: validated input (the schema's output, defaults applied),
 * its title and its planned steps. Used by HTTP start routes and by `longrun.submit()` alike.
 */
export async function newOperation(
  definition: AnyOperation,
  rawInput: unknown,
  options: { tenant: string; method: StartMethod; idempotency?: IdempotencyClaim },
): Promise<NewOperation> {
  const input = await validateInput(definition, rawInput);
  const plan = typeof definition.steps === 'function' ? definition.steps(input) : definition.steps;
  const operation: NewOperation = {
    tenant: options.tenant,
    kind: definition.kind,
    title: definition.title?.(input),
    method: options.method,
    input,
    steps: plannedSteps(plan ?? []),
    maxAttempts: definition.maxAttempts ?? 3,
  };
  if (options.idempotency) operation.idempotency = options.idempotency;
  return operation;
}

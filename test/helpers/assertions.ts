import assert from 'node:assert/strict';
import type { Reply } from './api-client.js';
import type { OperationView, ProblemView, StepView } from './views.js';

export const OPERATION_STATUSES = [
  'NotStarted',
  'Running',
  'Canceling',
  'Succeeded',
  'Failed',
  'Canceled',
] as const;

const TERMINAL = new Set(['Succeeded', 'Failed', 'Canceled']);

// RFC 3339 date-time (what `Date.prototype.toISOString` and other servers emit).
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function assertRfc3339(value: unknown, what: string): void {
  assert.equal(typeof value, 'string', `${what} is a string`);
  assert.match(value as string, RFC3339, `${what} is RFC 3339`);
  assert.ok(!Number.isNaN(Date.parse(value as string)), `${what} parses`);
}

/** An absolute http(s) URL. */
export function assertAbsoluteUrl(value: unknown, what: string): void {
  assert.equal(typeof value, 'string', `${what} is present`);
  assert.equal(new URL(value as string).href, value, `${what} is an absolute URL`);
}

/** `Retry-After` as a stock poller reads it: a whole number of seconds, at least 1. */
export function assertRetryAfter(headers: Headers): void {
  const value = headers.get('retry-after');
  assert.match(value ?? '', /^\d+$/, `Retry-After "${value}" is an integer`);
  assert.ok(Number(value) >= 1, 'Retry-After is at least 1');
}

/**
 * RFC 9457 problem details with the section-3 `error` object and `x-ms-error-code`, as every error
 * answer must be. `contentType` is what the Accept header asked for.
 */
export function assertProblem(
  reply: Reply<unknown>,
  status: number,
  code: string,
  contentType = 'application/problem+json',
): ProblemView {
  const problem = reply.body as ProblemView;
  assert.equal(reply.status, status, `status (body: ${JSON.stringify(reply.body)})`);
  assert.ok(
    reply.headers.get('content-type')?.startsWith(contentType),
    `content-type ${reply.headers.get('content-type')} is ${contentType}`,
  );
  assert.equal(reply.headers.get('x-ms-error-code'), code);
  assert.equal(typeof problem.type, 'string');
  assert.ok(problem.type.length > 0, 'problem type');
  assert.equal(typeof problem.title, 'string');
  assert.ok(problem.title.length > 0, 'problem title');
  assert.equal(problem.status, status);
  assert.ok(typeof problem.detail === 'string' && problem.detail.length > 0, 'problem detail');
  assert.equal(problem.error.code, code);
  assert.ok(problem.error.message.length > 0, 'error message');
  return problem;
}

/** Section 3 rules every representation obeys, whatever its state. */
export function assertRepresentation(operation: OperationView, root: string): void {
  assert.ok(operation.id.length >= 22, 'id carries at least 128 random bits');
  assert.match(operation.id, /^[A-Za-z0-9_-]+$/, 'id is URL-safe, without ":" or "."');
  assert.equal(operation.name, `operations/${operation.id}`);
  assert.equal(typeof operation.kind, 'string');
  assert.ok((OPERATION_STATUSES as readonly string[]).includes(operation.status), 'status');
  assert.equal(
    operation.done,
    TERMINAL.has(operation.status),
    'done is true exactly when terminal',
  );
  assert.equal(typeof operation.cancelRequested, 'boolean');
  assertRfc3339(operation.createdDateTime, 'createdDateTime');
  assertRfc3339(operation.lastUpdatedDateTime, 'lastUpdatedDateTime');
  if (operation.startTime !== undefined) assertRfc3339(operation.startTime, 'startTime');
  if (operation.percentComplete !== undefined) {
    assert.ok(operation.percentComplete >= 0 && operation.percentComplete <= 100, 'percent');
  }
  for (const step of operation.steps) assertStep(step);

  const self = `${root}/operations/${operation.id}`;
  assert.equal(operation.links.self, self);
  assert.equal(operation.links.result, `${self}/result`);
  if (operation.done) {
    assert.equal(operation.links.cancel, undefined, 'no cancel link once done');
    assert.equal(operation.links.wait, undefined, 'no wait link once done');
    assert.equal(operation.links.events, undefined, 'no events link once done');
    assertRfc3339(operation.endTime, 'endTime');
    assertRfc3339(operation.expirationDateTime, 'expirationDateTime');
  } else {
    assert.equal(operation.links.cancel, `${self}:cancel`);
    assert.equal(operation.links.wait, `${self}:wait`);
    assert.equal(operation.links.events, `${self}/events`);
    assert.equal(operation.expirationDateTime, undefined, 'no expiration while running');
  }
  if (operation.status === 'Succeeded') {
    assert.equal(operation.error, undefined, 'no error when Succeeded');
    if (operation.resourceLocation !== undefined) {
      assertAbsoluteUrl(operation.resourceLocation, 'resourceLocation');
    }
  } else {
    assert.equal(operation.resourceLocation, undefined, 'resourceLocation only when Succeeded');
  }
  if (operation.status === 'Failed' || operation.status === 'Canceled') {
    assert.ok(operation.error, 'error when Failed or Canceled');
    assert.ok(operation.error.code.length > 0, 'error code');
    assert.ok(operation.error.message.length > 0, 'error message');
    assert.equal(typeof operation.error.status, 'string', 'error status (gRPC name)');
  }
  if (operation.status === 'Canceled') assert.equal(operation.error?.code, 'Canceled');
}

function assertStep(step: StepView): void {
  assert.ok(step.id && step.title, 'step id and title');
  assert.ok(
    ['NotStarted', 'Running', 'Succeeded', 'Failed', 'Canceled', 'Skipped'].includes(step.status),
    `step status ${step.status}`,
  );
  if (step.startTime !== undefined) assertRfc3339(step.startTime, `startTime of ${step.title}`);
  if (step.endTime !== undefined) assertRfc3339(step.endTime, `endTime of ${step.title}`);
  for (const child of step.steps ?? []) assertStep(child);
}

/** Finds a step by title anywhere in the tree. */
export function findStep(steps: readonly StepView[], title: string): StepView | undefined {
  for (const step of steps) {
    if (step.title === title) return step;
    const inner = findStep(step.steps ?? [], title);
    if (inner) return inner;
  }
  return undefined;
}

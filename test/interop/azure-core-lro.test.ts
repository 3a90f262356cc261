import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createHttpPoller,
  type OperationResponse,
  type OperationState,
  type RunningOperation,
} from '@azure/core-lro';
import { RestError } from '@azure/core-rest-pipeline';
import { type ServeProcess, ServeSandbox } from '../helpers/child-process.js';
import { isUnderway, OperationsApi } from '../worker/operations-api.js';

/**
 * A stock, unmodified `@azure/core-lro` 3.x poller drives a real `longrun serve --demo` child process.
 * Only the transport is ours: a `RunningOperation` on plain fetch, shaped like the one generated Azure
 * clients build (lower-cased headers, parsed JSON body, a `RestError` for an unexpected status). Every
 * option is the library's default except a short first polling interval; the server's Retry-After
 * sets the pace after that.
 */

type PollRequestOptions = Parameters<RunningOperation['sendPollRequest']>[1];
type AbortSignalLike = NonNullable<NonNullable<PollRequestOptions>['abortSignal']>;

type Resource = Record<string, unknown>;

interface OperationBody {
  id: string;
  status: string;
  error?: { code: string; message: string };
}

/** fetch wants a DOM AbortSignal; core-lro hands over an AbortSignalLike. */
function toAbortSignal(like: AbortSignalLike | undefined): AbortSignal | undefined {
  if (!like || like instanceof AbortSignal) return like;
  const controller = new AbortController();
  if (like.aborted) controller.abort();
  else like.addEventListener('abort', () => controller.abort(), { once: true });
  return controller.signal;
}

/** One HTTP exchange in core-lro's terms; a status of 400 or more throws, like a generated client. */
async function send(
  method: string,
  url: string,
  body?: unknown,
  abortSignal?: AbortSignalLike,
): Promise<OperationResponse> {
  const signal = toAbortSignal(abortSignal);
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  const rawResponse = {
    statusCode: response.status,
    headers: Object.fromEntries(response.headers),
    request: { method, url, body },
    body: parsed,
  };
  if (response.status >= 400) {
    throw new RestError(`${method} ${url} answered ${response.status}: ${text}`, {
      statusCode: response.status,
    });
  }
  return { flatResponse: parsed, rawResponse };
}

/** `POST url` as a long-running operation; `initial` is the 202 the server acknowledged it with. */
function postOperation(url: string, body: unknown) {
  let resolveInitial!: (response: OperationResponse) => void;
  const initial = new Promise<OperationResponse>((resolve) => {
    resolveInitial = resolve;
  });
  const lro: RunningOperation = {
    async sendInitialRequest() {
      const response = await send('POST', url, body);
      resolveInitial(response);
      return response;
    },
    sendPollRequest: (path, options) => send('GET', path, undefined, options?.abortSignal),
  };
  return { lro, initial };
}

const POLLER_OPTIONS = { intervalInMs: 50 };

describe('a stock @azure/core-lro 3.x poller against longrun serve', () => {
  let sandbox: ServeSandbox;
  let serve: ServeProcess;
  before(async () => {
    sandbox = await ServeSandbox.create('longrun-core-lro-');
    serve = await sandbox.serve(['--demo-speed', '20']);
  });
  after(async () => {
    await sandbox?.cleanup();
  });

  async function getJson<T>(url: string): Promise<T> {
    const response = await fetch(url);
    assert.equal(response.status, 200, `GET ${url}`);
    return (await response.json()) as T;
  }

  it('drives POST /reports to its result: the report', async () => {
    const { lro, initial } = postOperation(`${serve.url}/reports`, { items: 20, itemMs: 200 });
    const poller = createHttpPoller<Resource, OperationState<Resource>>(lro, POLLER_OPTIONS);
    const report = await poller.pollUntilDone();

    const accepted = await initial;
    assert.equal(accepted.rawResponse.statusCode, 202);
    const { id } = accepted.flatResponse as OperationBody;
    assert.equal(poller.operationState?.status, 'succeeded');
    assert.equal(report.id, id);
    assert.equal(report.items, 20);
    assert.equal(typeof report.checksum, 'number');
    // What the poller returned is the report resource itself, not the operation.
    assert.deepEqual(report, await getJson(`${serve.url}/reports/${id}`));
  });

  it('drives POST /lifecycle-projects to its result: the created lifecycle project', async () => {
    const { lro } = postOperation(`${serve.url}/lifecycle-projects`, {
      name: 'Apollo',
      template: 'req-dev-test',
      stepMs: 200,
    });
    const poller = createHttpPoller<Resource, OperationState<Resource>>(lro, POLLER_OPTIONS);
    const project = await poller.pollUntilDone();

    assert.equal(poller.operationState?.status, 'succeeded');
    assert.equal(project.name, 'Apollo');
    assert.equal(project.template, 'req-dev-test');
    assert.deepEqual(
      (project.projects as { kind: string }[]).map((sub) => sub.kind),
      ['requirements', 'development', 'test'],
    );
    assert.match(String(project.slug), /^apollo-/);
    assert.deepEqual(project, await getJson(`${serve.url}/lifecycle-projects/${project.slug}`));
  });

  it('reports Failed, with the error code and message, for a failing /vm-deployments', async () => {
    const { lro, initial } = postOperation(`${serve.url}/vm-deployments`, {
      image: 'debian-12',
      failAt: 'Creating disk',
      stepMs: 200,
    });
    const poller = createHttpPoller<unknown, OperationState<unknown>>(lro, POLLER_OPTIONS);
    const error = await poller.pollUntilDone().then(
      () => assert.fail('a failed deployment must not resolve'),
      (reason: unknown) => reason,
    );

    const { id } = (await initial).flatResponse as OperationBody;
    const operation = await getJson<OperationBody>(`${serve.url}/operations/${id}`);
    assert.equal(operation.status, 'Failed');
    assert.equal(operation.error?.code, 'DeploymentFailed');
    assert.equal(poller.operationState?.status, 'failed');
    assert.ok(error instanceof Error);
    assert.equal(
      error.message,
      `The long-running operation has failed. DeploymentFailed. ${operation.error.message}`,
    );
    assert.match(error.message, /Step "Creating disk" failed for image "debian-12"/);
    assert.equal(poller.operationState?.error, error);
  });

  it('ends Canceled after POST {operation}:cancel', async () => {
    // About 50 s of work: it can only end by being canceled.
    const { lro, initial } = postOperation(`${serve.url}/reports`, { items: 1000, itemMs: 1000 });
    const poller = createHttpPoller<unknown, OperationState<unknown>>(lro, POLLER_OPTIONS);
    await poller.submitted();
    const operationLocation = (await initial).rawResponse.headers['operation-location'];
    assert.ok(operationLocation, 'the 202 names the operation in Operation-Location');

    // Cancel it once it is under way, so it goes through Canceling (which the poller reads as running).
    const { id } = (await initial).flatResponse as OperationBody;
    await new OperationsApi(serve.url).waitFor(id, isUnderway, 'under way');
    assert.equal((await poller.poll()).status, 'running');
    const canceled = await fetch(`${operationLocation}:cancel`, { method: 'POST' });
    assert.equal(canceled.status, 200);
    const canceling = (await canceled.json()) as OperationBody;
    assert.ok(['Canceling', 'Canceled'].includes(canceling.status), canceling.status);

    await assert.rejects(poller.pollUntilDone(), { message: 'Operation was canceled' });
    assert.equal(poller.operationState?.status, 'canceled');
    const operation = await getJson<OperationBody>(operationLocation);
    assert.equal(operation.status, 'Canceled');
    assert.equal(operation.error?.code, 'Canceled');
  });
});

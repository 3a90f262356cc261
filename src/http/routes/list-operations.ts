import { renderOperation } from '../../protocol/operation-resource.js';
import { isOperationStatus, type OperationStatus } from '../../protocol/operation-state.js';
import { ProblemError } from '../../protocol/problem.js';
import { isOperationId } from '../../store/operation-id.js';
import type { HandlerContext, RequestScope } from '../handler-context.js';
import { urlsOf } from '../operation-headers.js';
import { json } from '../respond.js';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

function listParam(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

function pageSizeOf(url: URL): number {
  const raw = url.searchParams.get('pageSize') ?? url.searchParams.get('page_size');
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ProblemError(
      'InvalidArgument',
      `pageSize "${raw}" must be a whole number from 1 to ${MAX_PAGE_SIZE}.`,
      {
        target: 'pageSize',
      },
    );
  }
  return size;
}

function pageTokenOf(url: URL): string | undefined {
  const token = url.searchParams.get('pageToken') ?? url.searchParams.get('page_token');
  if (token === null || token === '') return undefined;
  const id = Buffer.from(token, 'base64url').toString('utf8');
  if (!isOperationId(id)) {
    throw new ProblemError(
      'InvalidArgument',
      'pageToken is not one this server issued; start again without it.',
      {
        target: 'pageToken',
      },
    );
  }
  return id;
}

/**
 * `GET R/operations`: the caller's operations, newest first, filtered by `status` and `kind` (repeated
 * or comma-separated), paged by an opaque `pageToken`. Answers `{value, nextLink?, nextPageToken?}`.
 */
export async function listOperations(context: HandlerContext, scope: RequestScope) {
  const statuses = listParam(scope.url, 'status');
  const unknown = statuses.filter((status) => !isOperationStatus(status));
  if (unknown.length > 0) {
    throw new ProblemError(
      'InvalidArgument',
      `Unknown status "${unknown[0]}": use NotStarted, Running, Canceling, Succeeded, Failed or Canceled.`,
      { target: 'status' },
    );
  }
  const limit = pageSizeOf(scope.url);
  const beforeId = pageTokenOf(scope.url);
  const rows = await context.store.list({
    tenant: scope.tenant,
    statuses: statuses as OperationStatus[],
    kinds: listParam(scope.url, 'kind'),
    limit: limit + 1,
    ...(beforeId === undefined ? {} : { beforeId }),
  });
  const page = rows.slice(0, limit);
  const body: { value: unknown[]; nextLink?: string; nextPageToken?: string } = {
    value: page.map((operation) => renderOperation(operation, urlsOf(scope, operation))),
  };
  if (rows.length > limit) {
    const token = Buffer.from(page.at(-1)!.id).toString('base64url');
    const next = new URL(`${scope.root}/operations`);
    for (const [name, value] of scope.url.searchParams) {
      if (name !== 'pageToken' && name !== 'page_token') next.searchParams.append(name, value);
    }
    next.searchParams.set('pageToken', token);
    body.nextLink = next.href;
    body.nextPageToken = token;
  }
  return json(body, 200, { 'cache-control': 'private, no-cache' });
}

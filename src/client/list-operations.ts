import { readStatusBody } from './dialects.js';
import { HttpError, ProtocolError } from './errors.js';
import type { SignalOptions } from './operation-handle.js';
import { type Requester, readBody } from './requester.js';
import type { OperationSnapshot, OperationStatus } from './snapshot.js';

export interface ListOptions extends SignalOptions {
  status?: OperationStatus | readonly OperationStatus[];
  kind?: string | readonly string[];
  /** Operations per page (the server caps it). */
  pageSize?: number;
}

const asList = (value: string | readonly string[] | undefined) =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** Every operation of `GET {root}/operations` matching the filters, following `nextLink`. */
export async function* listOperations(
  requester: Requester,
  root: string,
  options: ListOptions,
): AsyncGenerator<OperationSnapshot, void, undefined> {
  const first = new URL(`${root.replace(/\/+$/, '')}/operations`);
  const statuses = asList(options.status);
  const kinds = asList(options.kind);
  if (statuses.length > 0) first.searchParams.set('status', statuses.join(','));
  if (kinds.length > 0) first.searchParams.set('kind', kinds.join(','));
  if (options.pageSize !== undefined) first.searchParams.set('pageSize', String(options.pageSize));
  const signal = options.signal ?? new AbortController().signal;
  let next: string | undefined = first.href;
  while (next !== undefined) {
    const url: string = next;
    const headers = { accept: 'application/json' };
    const response = await requester.send(url, { signal, retry: true, headers });
    const body = await readBody(response, url);
    if (!response.ok) throw new HttpError('GET', url, response.status, body);
    const page = body as { value?: unknown; nextLink?: unknown } | undefined;
    if (!Array.isArray(page?.value)) {
      throw new ProtocolError(
        `GET ${url} answered no list: a {value: [...]} body was expected.`,
        url,
      );
    }
    for (const item of page.value) {
      const reading = readStatusBody(item);
      if (reading) yield { ...reading, httpStatus: response.status, body: item };
    }
    next = typeof page.nextLink === 'string' ? new URL(page.nextLink, url).href : undefined;
  }
}

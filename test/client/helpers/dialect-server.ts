import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach } from 'node:test';
import { listenOnLoopback } from '../../helpers/servers.js';
import { type LoggedRequest, RequestLog } from './request-log.js';

/** What a route gets: the request, its body text, and the response to write. */
export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  body: string;
  /** Writes a JSON body (or none when `body` is undefined) with `status` and `headers`. */
  send(status: number, body?: unknown, headers?: Record<string, string>): void;
}

/** Routes by `"METHOD /path"`; anything else answers 404. */
export type Routes = Record<string, (exchange: Exchange) => void | Promise<void>>;

/** A small loopback server written by a test to play another server's long-running dialect. */
export interface DialectServer {
  /** Origin, e.g. `http://127.0.0.1:5123`. */
  readonly url: string;
  readonly log: RequestLog;
  /** Requests to `method path` so far. */
  requests(method: string, path: string): LoggedRequest[];
  /** Destroys the socket of the next `count` requests without answering (a network failure). */
  dropNext(count: number): void;
  close(): Promise<void>;
}

export async function startDialectServer(routes: Routes): Promise<DialectServer> {
  const log = new RequestLog();
  let drops = 0;
  const server = await listenOnLoopback((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const method = request.method ?? 'GET';
      log.record(method, request.url ?? '/', headers);
      if (drops > 0) {
        drops--;
        request.socket.destroy();
        return;
      }
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const route = routes[`${method} ${path}`];
      const send: Exchange['send'] = (status, body, extra = {}) => {
        const text = body === undefined ? '' : JSON.stringify(body);
        response.writeHead(status, {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...extra,
        });
        response.end(text);
      };
      if (!route) return send(404, { title: `No route for ${method} ${path}` });
      void route({ request, response, body: Buffer.concat(chunks).toString('utf8'), send });
    });
  });
  return {
    url: server.url,
    log,
    requests: (method, path) => log.matching(method, path),
    dropNext(count) {
      drops += count;
    },
    close: () => server.close(),
  };
}

/** Answers each call with the next of `answers`, the last one again once they run out. */
export function inTurn(...answers: ((exchange: Exchange) => void)[]): (exchange: Exchange) => void {
  let index = 0;
  return (exchange) => answers[Math.min(index++, answers.length - 1)]!(exchange);
}

/**
 * For a describe block whose tests each start their own dialect server: `serve(routes)` starts one,
 * and it is closed after the test.
 */
export function dialectServerPerTest(): (routes: Routes) => Promise<DialectServer> {
  let server: DialectServer | undefined;
  afterEach(() => server?.close());
  return async (routes) => {
    server = await startDialectServer(routes);
    return server;
  };
}

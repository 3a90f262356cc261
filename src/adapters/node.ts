import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FetchHandler, problem } from '../http/respond.js';
import { dispatchToFetchHandler, normalizePublicOrigin } from './node-dispatch.js';
import { writeFetchResponse } from './node-response.js';

export type { FetchHandler } from '../http/respond.js';

export interface NodeListenerOptions {
  /** `scheme://host[:port]` the core sees in `request.url`; default: `http(s)://` + the Host header. */
  publicOrigin?: string;
  /** Receives whatever the core threw; the client only gets a generic 500 problem. */
  onError?: (error: unknown) => void;
}

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/** A `node:http` request listener that runs the Fetch-standard core. Usable with `http.createServer`, `https`, or as plain middleware. */
export function createNodeListener(
  handler: FetchHandler,
  options: NodeListenerOptions = {},
): NodeListener {
  const dispatchOptions = { publicOrigin: normalizePublicOrigin(options.publicOrigin) };
  return (req, res) => {
    dispatchToFetchHandler(handler, req, res, dispatchOptions)?.catch((error: unknown) => {
      options.onError?.(error);
      answerInternalError(res);
    });
  };
}

function answerInternalError(res: ServerResponse): void {
  if (res.headersSent) {
    // The status line is gone; cutting the connection is the only way to tell the client the body is incomplete.
    res.destroy();
    return;
  }
  // The message is deliberately generic: error text and stacks stay on the server (onError).
  const response = problem(500, {
    code: 'Internal',
    message: 'The server failed to handle this request.',
  });
  try {
    void writeFetchResponse(response, res);
  } catch {
    res.destroy();
  }
}

export interface ServeNodeOptions extends ServerOptions, NodeListenerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default `127.0.0.1`: exposing the server is an explicit choice. */
  host?: string;
  /** How long close() lets in-flight requests (long polls, event streams) finish before cutting them. Default 5000. */
  closeGraceMs?: number;
}

export interface NodeServer {
  server: Server;
  /** `http://host:port` the server listens on. */
  url: string;
  /** Stops accepting, waits for in-flight requests up to `closeGraceMs`, then cuts the rest. */
  close(): Promise<void>;
}

/** Starts a `node:http` server for the core and resolves once it listens. */
export async function serveNode(
  handler: FetchHandler,
  options: ServeNodeOptions = {},
): Promise<NodeServer> {
  const {
    port = 0,
    host = '127.0.0.1',
    publicOrigin,
    onError,
    closeGraceMs = 5000,
    ...serverOptions
  } = options;
  const server = createServer(
    {
      maxHeaderSize: 16384,
      // Longer than the 60 s idle timeout of common load balancers, so they never reuse a socket we just closed.
      keepAliveTimeout: 65_000,
      // Must exceed keepAliveTimeout, or node may cut a reused socket that is sending its next request.
      headersTimeout: 66_000,
      // Time to receive a whole request (not to answer it): long polls and event streams are unaffected.
      requestTimeout: 120_000,
      ...serverOptions,
    },
    createNodeListener(handler, {
      ...(publicOrigin === undefined ? {} : { publicOrigin }),
      ...(onError === undefined ? {} : { onError }),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close() {
      closing ??= closeServer(server, closeGraceMs);
      return closing;
    },
  };
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close((error) => {
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    // Idle keep-alive sockets would otherwise hold close() open until they time out.
    server.closeIdleConnections();
  });
}

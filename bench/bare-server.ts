/**
 * The baseline: plain node:http answering the same shapes as longrun with no persistence and no
 * framework. `POST /noop` -> 202 with the monitor headers and an operation body; the "operation" then
 * succeeds on the next turn of the event loop; `GET /operations/{id}` -> 200 JSON with an ETag, or 304
 * when If-None-Match matches. Reports completions to the parent like longrun-server.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tellParent } from './ipc.js';
import { CompletionTracker } from './tracker.js';

interface BareOperation {
  id: string;
  status: 'NotStarted' | 'Succeeded';
  revision: number;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
}

const operations = new Map<string, BareOperation>();
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

function representation(op: BareOperation, root: string) {
  const self = `${root}/operations/${op.id}`;
  const done = op.status === 'Succeeded';
  return {
    id: op.id,
    name: `operations/${op.id}`,
    kind: 'noop',
    status: op.status,
    done,
    ...(done ? { percentComplete: 100 } : {}),
    steps: [],
    createdDateTime: new Date(op.createdAt).toISOString(),
    lastUpdatedDateTime: new Date(op.endedAt ?? op.createdAt).toISOString(),
    ...(op.startedAt ? { startTime: new Date(op.startedAt).toISOString() } : {}),
    ...(op.endedAt ? { endTime: new Date(op.endedAt).toISOString() } : {}),
    ...(op.endedAt ? { expirationDateTime: new Date(op.endedAt + WEEK_MS).toISOString() } : {}),
    cancelRequested: false,
    attempts: done ? 1 : 0,
    ...(done ? { result: { ok: true } } : {}),
    ...(done
      ? { response: { '@type': 'type.googleapis.com/longrun.OperationResult', ok: true } }
      : {}),
    metadata: {
      '@type': 'type.googleapis.com/longrun.OperationMetadata',
      kind: 'noop',
      status: op.status,
    },
    links: done
      ? { self, result: `${self}/result` }
      : { self, result: `${self}/result`, cancel: `${self}:cancel` },
  };
}

const etagOf = (op: BareOperation) => `"${op.id.slice(-10)}-${op.revision}"`;

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body?: unknown,
) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  if (text !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(text));
  }
  res.writeHead(status, headers).end(text);
}

function start(req: IncomingMessage, res: ServerResponse, root: string) {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    const now = Date.now();
    const op: BareOperation = {
      id: now.toString(16).padStart(12, '0') + randomBytes(16).toString('base64url'),
      status: 'NotStarted',
      revision: 1,
      createdAt: now,
    };
    operations.set(op.id, op);
    tracker.created();
    setImmediate(() => {
      op.startedAt = Date.now();
      Object.assign(op, { status: 'Succeeded', revision: 3, endedAt: Date.now() });
      tracker.finished(op.id);
    });
    const self = `${root}/operations/${op.id}`;
    send(
      res,
      202,
      {
        etag: etagOf(op),
        'cache-control': 'private, no-cache',
        'retry-after': '1',
        'operation-location': self,
        location: `${self}/result`,
        'content-location': self,
      },
      representation(op, root),
    );
  });
}

const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, (req, res) => {
  const root = `http://${req.headers.host}`;
  const path = req.url ?? '/';
  if (req.method === 'POST' && path === '/noop') return start(req, res, root);
  const op =
    req.method === 'GET' && path.startsWith('/operations/')
      ? operations.get(path.slice(12))
      : undefined;
  if (!op)
    return send(res, 404, {}, { error: { code: 'NotFound', message: 'No such operation.' } });
  const headers: Record<string, string> = {
    etag: etagOf(op),
    'cache-control': 'private, no-cache',
  };
  if (req.headers['if-none-match'] === headers.etag) return send(res, 304, headers);
  send(res, 200, headers, representation(op, root));
});

const tracker = new CompletionTracker(
  async (ids) =>
    ids.map((id) => operations.get(id)).map((op) => (op?.startedAt ?? 0) - (op?.createdAt ?? 0)),
  () => new Promise((resolve) => server.close(() => resolve())),
);

server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(url);
  tellParent({ type: 'ready', url });
});

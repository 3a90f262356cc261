import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { type NodeServer, serveNode } from '../../src/adapters/node.js';
import { createLongrun, defineOperation, type Longrun } from '../../src/index.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { createTempDir, type TempDir } from '../helpers/temp-dir.js';

const noop = defineOperation({
  kind: 'noop',
  input: z.looseObject({}),
  run: async () => ({ ok: true }),
});

/** One raw request: the path and Host exactly as given (fetch would normalise both first). */
function rawGet(
  server: NodeServer,
  path: string,
  host: string,
): Promise<{ status: number; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const client = httpRequest({ port, path, headers: { host } });
    client.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    client.on('error', reject);
    client.end();
  });
}

// The handler reads plain URLs without the URL parser (request-url.ts); the others must still be
// read as the URL standard reads them.
describe('request URLs as the URL standard reads them (node:http)', () => {
  let dir: TempDir;
  let longrun: Longrun;
  let server: NodeServer;
  let id: string;
  let host: string;

  before(async () => {
    dir = await createTempDir();
    longrun = createLongrun({
      store: new SqliteStore(dir.file('longrun.db')),
      routes: [{ method: 'POST', path: '/noop', operation: noop }],
      worker: false,
    });
    await longrun.start();
    server = await serveNode(longrun.handler);
    host = new URL(server.url).host;
    const created = await fetch(`${server.url}/noop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(created.status, 202);
    id = ((await created.json()) as { id: string }).id;
  });
  after(async () => {
    await server.close();
    await longrun.stop();
    await dir.remove();
  });

  it('resolves dot segments and percent-encoded dots before routing', async () => {
    for (const path of [
      `/reports/../operations/${id}`,
      `/operations/./${id}`,
      `/operations/x/%2E%2E/${id}`,
    ]) {
      const answer = await rawGet(server, path, host);
      assert.equal(answer.status, 200, path);
      assert.equal((JSON.parse(answer.body) as { id: string }).id, id, path);
    }
  });

  it('decodes a percent-encoded operation id', async () => {
    const encoded = [...id].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('');
    const answer = await rawGet(server, `/operations/${encoded}`, host);
    assert.equal(answer.status, 200);
    assert.equal((JSON.parse(answer.body) as { id: string }).id, id);
  });

  it('builds its links from the normalised origin: lower-case host, no default port', async () => {
    const port = new URL(server.url).port;
    const mixedCase = await rawGet(server, `/operations/${id}`, `LocalHost:${port}`);
    const links = (JSON.parse(mixedCase.body) as { links: { self: string } }).links;
    assert.equal(links.self, `http://localhost:${port}/operations/${id}`);
    // As a proxy in front would send it: the default port named.
    const defaultPort = await rawGet(server, `/operations/${id}`, 'api.example.test:80');
    const proxied = (JSON.parse(defaultPort.body) as { links: { self: string } }).links;
    assert.equal(proxied.self, `http://api.example.test/operations/${id}`);
  });

  it('gives each request the links of its own Host, whatever the request before it had', async () => {
    // Each one a prefix of the next, or the next of it: the origin remembered from the last request
    // must not be taken for another that merely starts the same way.
    for (const given of ['api.example.te', 'api.example.test:8080', 'api.example.test', host]) {
      const answer = await rawGet(server, `/operations/${id}`, given);
      const links = (JSON.parse(answer.body) as { links: { self: string } }).links;
      assert.equal(links.self, `http://${given}/operations/${id}`);
    }
  });

  it('answers 404 to a path that only looks like an operation URL', async () => {
    for (const path of [`/operations/${id}:frobnicate`, `/operations/${id}//`, '/operations//']) {
      const answer = await rawGet(server, path, host);
      assert.equal(answer.status, 404, path);
    }
  });
});

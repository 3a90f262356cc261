import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createTempDir } from '../helpers/temp-dir.js';
import { type DemoServer, runCli, startDemoServer } from './helpers/cli-server.js';

const CLIENT_COMMANDS = ['start', 'watch', 'ls', 'get', 'cancel', 'result'];

describe('longrun usage errors, help and authentication', () => {
  let server: DemoServer;
  before(async () => {
    server = await startDemoServer({ apiKeys: { 'key-a': 'tenant-a' } });
  });
  after(() => server.close());

  it('an unknown flag exits 2 with the flag named and a pointer to --help', async () => {
    const run = await runCli(['watch', 'http://127.0.0.1:1/operations/x', '--bogus']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown option '--bogus'/);
    assert.match(run.stderr, /run longrun watch --help for usage/);
    assert.equal(run.stdout, '');
  });

  it('bad values, missing arguments and missing base URLs exit 2 with what to do', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['ls', '--base-url', server.url, '--status', 'sleeping'],
        /"sleeping" is not a status: use NotStarted/,
      ],
      [['ls'], /pass --base-url URL or set LONGRUN_URL/],
      [['watch', 'some-id'], /not an absolute URL.*--base-url URL or LONGRUN_URL/],
      [['start', `${server.url}/reports`, '--data', '{items'], /--data is not JSON/],
      [
        ['start', `${server.url}/reports`, '--header', 'novalue'],
        /is not a header: use Name:value/,
      ],
      [['get'], /missing required argument 'operation'/],
      [['serve', '--port', 'x'], /is not a port/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
    }
  });

  it('worker and serve --workers 0 refuse a SQLite file, saying what to run, and create none', async () => {
    const dir = await createTempDir();
    try {
      const file = dir.file('longrun.db');
      for (const args of [
        ['worker', '--db', file, '--demo'],
        ['serve', '--db', file, '--workers', '0', '--demo'],
      ]) {
        const run = await runCli(args);
        assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, /a SQLite file \(.*\) belongs to one process/);
        assert.match(run.stderr, /or use --db postgres:\/\//);
      }
      assert.equal(existsSync(file), false, 'no database file was created');
    } finally {
      await dir.remove();
    }
  });

  it('--help of every client command teaches, with examples, the environment and exit codes', async () => {
    for (const command of CLIENT_COMMANDS) {
      const run = await runCli([command, '--help']);
      assert.equal(run.code, 0, run.stderr);
      for (const part of [
        'Examples:\n  $ longrun',
        'LONGRUN_URL',
        'LONGRUN_API_KEY',
        'Exit codes:',
      ]) {
        assert.ok(run.stdout.includes(part), `${command} --help lacks ${part}`);
      }
      assert.match(run.stdout, /--api-key <key>[^-]*\(env:\s+LONGRUN_API_KEY\)/);
    }
    const top = await runCli(['--help']);
    assert.equal(top.code, 0);
    for (const command of [...CLIENT_COMMANDS, 'serve', 'worker']) {
      assert.match(top.stdout, new RegExp(`^  ${command}\\b`, 'm'));
    }
    assert.match(top.stdout, /Exit codes:/);
  });

  it('sends the API key from --api-key or LONGRUN_API_KEY, and hints at it on a 401', async () => {
    const denied = await runCli(['ls', '--base-url', server.url]);
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /answered 401.*\n\(pass --api-key KEY or set LONGRUN_API_KEY\)/);
    const url = (
      await runCli(['start', `${server.url}/reports`, '-d', '{}', '--api-key', 'key-a'])
    ).stdout.trim();
    assert.match(url, /^http/);
    const env = { LONGRUN_URL: server.url, LONGRUN_API_KEY: 'key-a' };
    const listed = await runCli(['ls', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(listed.stdout.includes(url));
    const watched = await runCli(['watch', url.split('/').at(-1)!], env);
    assert.equal(watched.code, 0, watched.stderr);
  });

  it('an operation that does not exist is an HTTP error: exit 2', async () => {
    const run = await runCli(['watch', `${server.url}/operations/nosuch`], {
      LONGRUN_API_KEY: 'key-a',
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^longrun: GET .*\/operations\/nosuch answered 404/);
  });
});

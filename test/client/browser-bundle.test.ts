import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles for the browser, as a web app would: node builtins do not exist there. */
function bundle(options: {
  entryPoints?: string[];
  stdin?: { contents: string; resolveDir: string };
}) {
  return build({
    ...options,
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}

describe('longrun/client in the browser', () => {
  it('bundles for the browser with no node builtin, from src/client only', async () => {
    const result = await bundle({ entryPoints: ['src/client/index.ts'] });
    assert.deepEqual(result.errors, []);
    const inputs = Object.keys(result.metafile.inputs);
    const outside = inputs.filter((input) => !input.startsWith('src/client/'));
    assert.deepEqual(outside, [], 'everything bundled comes from src/client');
    const code = result.outputFiles[0]!.text;
    assert.doesNotMatch(code, /\bBuffer\b|\bprocess\.|\brequire\(/, 'no Node globals');
    assert.match(code, /createClient/);
  });

  it('would fail on a node: import (the check is real)', async () => {
    const failed = await bundle({
      stdin: {
        contents: "import { readFileSync } from 'node:fs'; readFileSync('x');",
        resolveDir: ROOT,
      },
    }).then(
      () => undefined,
      (error: { errors: { text: string }[] }) => error.errors,
    );
    assert.ok(
      failed?.some((error) => /node:fs/.test(error.text)),
      JSON.stringify(failed),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadOperations } from '../../src/cli/load-operations.js';

describe('--operations modules', () => {
  it('load exported definitions and the start routes an API node serves', async () => {
    const loaded = await loadOperations('test/cli/fixtures/ops-with-routes.ts');
    assert.deepEqual(loaded.operations.map((operation) => operation.kind).sort(), [
      'archive.build',
      'thumbnail.make',
    ]);
    assert.deepEqual(
      loaded.routes.map((route) => `${route.method} ${route.path}`),
      ['POST /archives'],
    );
  });

  it('say what to export when a module has no definitions', async () => {
    await assert.rejects(
      loadOperations('test/cli/load-operations.test.ts'),
      /exports no operation definitions: export the results of defineOperation\(\)/,
    );
  });
});

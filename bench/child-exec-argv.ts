import { fileURLToPath } from 'node:url';

/**
 * Node flags of every benchmark child process: tsx for the bench's own TypeScript, then the hook that
 * makes its imports of src/ load the compiled dist/ (see compiled-src.mjs).
 */
export const CHILD_EXEC_ARGV = [
  '--import',
  'tsx',
  '--import',
  fileURLToPath(new URL('./compiled-src.mjs', import.meta.url)),
];

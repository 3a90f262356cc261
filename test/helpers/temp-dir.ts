import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temp dir, removed (with everything in it) by `remove()`. */
export interface TempDir {
  readonly path: string;
  /** Absolute path of a file inside the directory. */
  file(name: string): string;
  remove(): Promise<void>;
}

export async function createTempDir(prefix = 'longrun-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

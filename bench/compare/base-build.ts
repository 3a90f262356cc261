import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Another commit of this repository, checked out and built beside the working tree. */
export interface BaseBuild {
  /** Root of the checkout (its bench/ and dist/ are used). */
  root: string;
  remove(): void;
}

/**
 * Checks `ref` out in a temporary git worktree, shares this checkout's node_modules with it, and
 * builds it (`npm run build`). Both builds then run with the same dependencies: only the code differs.
 */
export function checkOutAndBuild(ref: string, log: (line: string) => void): BaseBuild {
  const root = join(mkdtempSync(join(tmpdir(), 'longrun-compare-')), 'base');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('worktree', 'add', '--detach', root, ref);
  const remove = () => {
    git('worktree', 'remove', '--force', root);
    rmSync(join(root, '..'), { recursive: true, force: true });
  };
  try {
    if (!existsSync(join(root, 'bench', 'compiled-src.mjs'))) {
      throw new Error(
        `${ref} predates bench/compiled-src.mjs; pick a later commit to compare with.`,
      );
    }
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
    log(`building ${ref} in ${root}`);
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    remove();
    throw error;
  }
  return { root, remove };
}

// Runs the benchmark against the compiled package (dist/, what `longrun serve` and library users
// run), not the TypeScript sources: tsx compiles with esbuild's keepNames, which wraps every
// function created at run time in a name-setting call (measured: 2-6% of a request's CPU).
// Registered after tsx, this hook answers first: an import of src/**/*.js becomes dist/**/*.js.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const src = new URL('src/', root).href;
const dist = new URL('dist/', root).href;

if (!existsSync(fileURLToPath(new URL('index.js', dist)))) {
  throw new Error('bench/compiled-src.mjs: dist/ is missing; run "npm run build" first.');
}

register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (context.parentURL && (specifier.startsWith('.') || specifier.startsWith('file:'))) {
        const url = new URL(specifier, context.parentURL).href;
        if (url.startsWith(${JSON.stringify(src)}) && url.endsWith('.js')) {
          return next(${JSON.stringify(dist)} + url.slice(${src.length}), context);
        }
      }
      return next(specifier, context);
    }
  `)}`,
);

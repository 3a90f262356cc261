import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppRoute } from '../http/app-routes.js';
import type { AnyOperation } from '../operations/define-operation.js';

const isOperation = (value: unknown): value is AnyOperation =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AnyOperation).kind === 'string' &&
  typeof (value as AnyOperation).run === 'function' &&
  typeof (value as AnyOperation).input === 'object';

const isRoute = (value: unknown): value is AppRoute =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AppRoute).method === 'string' &&
  typeof (value as AppRoute).path === 'string';

/**
 * Loads a user's module: its operation definitions (every export made with `defineOperation`, and
 * every definition in an exported array, e.g. `export default [a, b]`) and its `routes` export (start
 * routes like `{ method: 'POST', path: '/reports', operation }`, which API nodes serve).
 */
export async function loadOperations(
  modulePath: string,
): Promise<{ operations: AnyOperation[]; routes: AppRoute[] }> {
  const url = pathToFileURL(resolve(modulePath)).href;
  let exported: Record<string, unknown>;
  try {
    exported = await import(url);
  } catch (error) {
    throw new Error(`Cannot load operations from ${modulePath}: ${(error as Error).message}`);
  }
  const routes = Array.isArray(exported.routes) ? exported.routes.filter(isRoute) : [];
  const found = [
    ...Object.values(exported).flatMap((value) =>
      Array.isArray(value) ? value.filter(isOperation) : isOperation(value) ? [value] : [],
    ),
    ...routes.flatMap((route) => ('operation' in route ? [route.operation] : [])),
  ];
  if (found.length === 0) {
    throw new Error(
      `${modulePath} exports no operation definitions: export the results of defineOperation(), or an array of them.`,
    );
  }
  return { operations: [...new Set(found)], routes };
}

/** Keeps only the kinds asked for with `--kinds`; a kind that is not defined is an error. */
export function selectKinds(
  operations: AnyOperation[],
  kinds: string[] | undefined,
): AnyOperation[] {
  if (!kinds) return operations;
  const known = new Set(operations.map((operation) => operation.kind));
  const unknown = kinds.filter((kind) => !known.has(kind));
  if (unknown.length > 0) {
    throw new Error(
      `--kinds names ${unknown.join(', ')}, which the loaded operations do not define (they define ${[...known].join(', ')}).`,
    );
  }
  return operations.filter((operation) => kinds.includes(operation.kind));
}

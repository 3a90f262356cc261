/** A compiled path pattern: `/things/:id` matches `/things/42` with `{ id: '42' }`. */
export interface PathPattern {
  regex: RegExp;
  names: string[];
}

export function compilePath(path: string): PathPattern {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names };
}

export function matchPath(pattern: PathPattern, path: string): Record<string, string> | undefined {
  const match = pattern.regex.exec(path);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  pattern.names.forEach((name, index) => {
    params[name] = decodeURIComponent(match[index + 1]!);
  });
  return params;
}

export type OperationAction =
  | 'get'
  | 'result'
  | 'cancel'
  | 'wait'
  | 'list'
  | 'stats'
  | 'events'
  | 'feed';

/** Built-in URLs: `/operations`, `/operations/{id}` (`/result`, `:cancel`, `:wait`), `/stats`. */
export function matchOperationPath(
  path: string,
): { action: OperationAction; id: string } | undefined {
  if (path === '/operations' || path === '/operations/') return { action: 'list', id: '' };
  if (path === '/stats' || path === '/stats/') return { action: 'stats', id: '' };
  // The feed of all the caller's operations; no operation id is `events` (ids are random).
  if (path === '/operations/events' || path === '/operations/events/') {
    return { action: 'feed', id: '' };
  }
  const match = /^\/operations\/([^/:]+)(?::(cancel|wait)|\/(result|events))?\/?$/.exec(path);
  if (!match) return undefined;
  const action = (match[2] ?? match[3] ?? 'get') as OperationAction;
  return { action, id: decodeURIComponent(match[1]!) };
}

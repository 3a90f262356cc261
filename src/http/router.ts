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

const OPERATION_PREFIX = '/operations/';

/** What follows an operation id in a built-in URL. */
const OPERATION_SUFFIXES = new Map<string, OperationAction>([
  ['', 'get'],
  [':cancel', 'cancel'],
  [':wait', 'wait'],
  ['/result', 'result'],
  ['/events', 'events'],
]);

/**
 * Built-in URLs: `/operations`, `/operations/{id}` (`/result`, `/events`, `:cancel`, `:wait`),
 * `/operations/events`, `/stats`; each also with a trailing slash. String slicing rather than a
 * regular expression: this runs on every request (the expression was a tenth of a 304's CPU).
 */
export function matchOperationPath(
  path: string,
): { action: OperationAction; id: string } | undefined {
  if (path === '/operations' || path === '/operations/') return { action: 'list', id: '' };
  if (path === '/stats' || path === '/stats/') return { action: 'stats', id: '' };
  // The feed of all the caller's operations; no operation id is `events` (ids are random).
  if (path === '/operations/events' || path === '/operations/events/') {
    return { action: 'feed', id: '' };
  }
  if (!path.startsWith(OPERATION_PREFIX)) return undefined;
  const start = OPERATION_PREFIX.length;
  const end = path.endsWith('/') ? path.length - 1 : path.length;
  // The id ends at the first `/` or `:` (or the end).
  const slash = path.indexOf('/', start);
  const colon = path.indexOf(':', start);
  let cut = end;
  if (slash !== -1 && slash < cut) cut = slash;
  if (colon !== -1 && colon < cut) cut = colon;
  if (cut === start) return undefined;
  const action = OPERATION_SUFFIXES.get(path.slice(cut, end));
  if (action === undefined) return undefined;
  const id = path.slice(start, cut);
  return { action, id: id.includes('%') ? decodeURIComponent(id) : id };
}

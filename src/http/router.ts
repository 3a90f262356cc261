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

export type OperationAction = 'get' | 'result' | 'cancel' | 'wait' | 'list';

/** The built-in operation URLs: `/operations`, `/operations/{id}`, `.../result`, `...:cancel`, `...:wait`. */
export function matchOperationPath(
  path: string,
): { action: OperationAction; id: string } | undefined {
  if (path === '/operations' || path === '/operations/') return { action: 'list', id: '' };
  const match = /^\/operations\/([^/:]+)(?::(cancel|wait)|\/(result))?\/?$/.exec(path);
  if (!match) return undefined;
  const action = (match[2] ?? match[3] ?? 'get') as OperationAction;
  return { action, id: decodeURIComponent(match[1]!) };
}

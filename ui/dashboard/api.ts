/** What the server puts in the page's `<script type="application/json" id="longrun-config">`. */
export interface DashboardConfig {
  /** Mount root path, e.g. '' or '/v1'. */
  root: string;
  /** Whether callers need an API key. */
  auth: boolean;
  /** Start routes without path parameters, for the start buttons. */
  starts: { method: string; path: string; kind: string }[];
  /** The widget bundle's URL. */
  widget: string;
}

export function readConfig(): DashboardConfig {
  const text = document.getElementById('longrun-config')?.textContent ?? '{}';
  return JSON.parse(text) as DashboardConfig;
}

const KEY_ITEM = 'longrun.apiKey';

export function apiKey(): string | undefined {
  try {
    return sessionStorage.getItem(KEY_ITEM) ?? undefined;
  } catch {
    return undefined;
  }
}

export function setApiKey(key: string): void {
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
}

export function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

export class ApiError extends Error {}

/** GETs or POSTs JSON under the mount root; throws ApiError with the problem's message. */
export async function api(
  url: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<{ response: Response; body: unknown }> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {}
  if (!response.ok && response.status !== 202) {
    const problem = body as { error?: { message?: string }; detail?: string; title?: string };
    throw new ApiError(
      problem?.error?.message ?? problem?.detail ?? problem?.title ?? `HTTP ${response.status}`,
    );
  }
  return { response, body };
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

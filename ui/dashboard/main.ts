// The dashboard under R/ui/: one page script, routed by path: `ui/` (start buttons and the live list
// of the caller's operations), `ui/operations/{id}` (the widget and the raw JSON), `ui/stats`.
import '../widget/define.js';
import {
  api,
  apiKey,
  authHeaders,
  type DashboardConfig,
  el,
  readConfig,
  setApiKey,
} from './api.js';
import { renderStats } from './stats.js';

const STATUSES = ['NotStarted', 'Running', 'Canceling', 'Succeeded', 'Failed', 'Canceled'];

/** Request bodies offered for the demo's start routes; any other route starts with `{}`. */
const EXAMPLES: Record<string, unknown> = {
  '/reports': { items: 40, itemMs: 100 },
  '/lifecycle-projects': { name: 'Apollo', template: 'req-dev-test' },
  '/vm-deployments': { image: 'debian-12', failAt: 'Booting' },
};

const config = readConfig();
const ui = `${config.root}/ui`;
const main = document.getElementById('main')!;

function header(): HTMLElement {
  const nav = el(
    'nav',
    { attrs: { 'aria-label': 'Dashboard' } },
    el('a', { text: 'Operations', attrs: { href: `${ui}/` } }),
    el('a', { text: 'Stats', attrs: { href: `${ui}/stats` } }),
  );
  const bar = el('header', {}, el('strong', { text: 'longrun' }), nav);
  if (config.auth) {
    const input = el('input', {
      attrs: { type: 'password', id: 'api-key', autocomplete: 'off', placeholder: 'API key' },
    });
    input.value = apiKey() ?? '';
    const form = el(
      'form',
      { className: 'key' },
      el('label', { text: 'API key', attrs: { for: 'api-key' } }),
      input,
      el('button', { text: 'Use key', attrs: { type: 'submit' } }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      setApiKey(input.value.trim());
      location.reload();
    });
    bar.append(form);
  }
  return bar;
}

function notice(text: string, kind: 'error' | 'info' = 'info'): HTMLElement {
  return el('p', {
    className: `notice ${kind}`,
    text,
    attrs: { role: kind === 'error' ? 'alert' : 'status' },
  });
}

function idFromStart(response: Response, body: unknown): string | undefined {
  const id = (body as { id?: unknown } | undefined)?.id;
  if (typeof id === 'string') return id;
  const monitor = response.headers.get('operation-location') ?? response.headers.get('location');
  return monitor ? /\/operations\/([^/?:]+)/.exec(monitor)?.[1] : undefined;
}

function startSection(): HTMLElement | undefined {
  if (config.starts.length === 0) return undefined;
  const section = el('section', { attrs: { 'aria-labelledby': 'start-heading' } });
  section.append(el('h2', { text: 'Start an operation', attrs: { id: 'start-heading' } }));
  const grid = el('div', { className: 'starts' });
  config.starts.forEach((start, index) => {
    const areaId = `start-body-${index}`;
    const area = el('textarea', { attrs: { id: areaId, rows: '3', spellcheck: 'false' } });
    area.value = JSON.stringify(EXAMPLES[start.path] ?? {}, null, 1);
    const status = el('p', { className: 'start-status', attrs: { role: 'status' } });
    const button = el('button', {
      text: `Start ${start.kind}`,
      attrs: { type: 'submit', 'data-path': start.path },
    });
    const form = el(
      'form',
      { className: 'start card' },
      el('label', { text: `${start.method} ${start.path}`, attrs: { for: areaId } }),
      area,
      button,
      status,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      button.disabled = true;
      status.textContent = 'Starting…';
      try {
        const body = area.value.trim() ? JSON.parse(area.value) : undefined;
        const answer = await api(config.root + start.path, { method: start.method, body });
        const id = idFromStart(answer.response, answer.body);
        if (!id) throw new Error('The server answered without an operation id.');
        location.assign(`${ui}/operations/${encodeURIComponent(id)}`);
      } catch (error) {
        status.textContent = error instanceof Error ? error.message : String(error);
        button.disabled = false;
      }
    });
    grid.append(form);
  });
  section.append(grid);
  return section;
}

interface Row {
  id: string;
  kind?: string;
  title?: string;
  status: string;
  percentComplete?: number;
  createdDateTime?: string;
}

function listSection(): HTMLElement {
  const section = el('section', { attrs: { 'aria-labelledby': 'list-heading' } });
  section.append(el('h2', { text: 'Operations', attrs: { id: 'list-heading' } }));
  const status = el('select', { attrs: { id: 'filter-status' } });
  status.append(el('option', { text: 'Any status', attrs: { value: '' } }));
  for (const name of STATUSES) status.append(el('option', { text: name, attrs: { value: name } }));
  const kind = el('select', { attrs: { id: 'filter-kind' } });
  kind.append(el('option', { text: 'Any kind', attrs: { value: '' } }));
  for (const start of config.starts) {
    kind.append(el('option', { text: start.kind, attrs: { value: start.kind } }));
  }
  const search = el('input', {
    attrs: { id: 'filter-id', type: 'search', placeholder: 'Operation id' },
  });
  const filters = el(
    'form',
    { className: 'filters', attrs: { role: 'search' } },
    el('label', { text: 'Status', attrs: { for: 'filter-status' } }),
    status,
    el('label', { text: 'Kind', attrs: { for: 'filter-kind' } }),
    kind,
    el('label', { text: 'Id', attrs: { for: 'filter-id' } }),
    search,
    el('button', { text: 'Filter', attrs: { type: 'submit' } }),
  );
  const body = el('tbody');
  const table = el(
    'table',
    { attrs: { 'aria-describedby': 'list-heading' } },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Operation', 'Kind', 'Status', 'Progress', 'Created'].map((text) =>
          el('th', { text, attrs: { scope: 'col' } }),
        ),
      ),
    ),
    body,
  );
  const info = el('p', { className: 'list-info', attrs: { 'aria-live': 'polite' } });
  const first = el('button', { text: 'First page', attrs: { type: 'button' } });
  const next = el('button', { text: 'Next page', attrs: { type: 'button' } });
  section.append(filters, table, info, el('div', { className: 'pager' }, first, next));

  let pageUrl = '';
  let nextLink: string | undefined;
  const firstUrl = () => {
    const url = new URL(`${config.root}/operations`, location.origin);
    if (status.value) url.searchParams.set('status', status.value);
    if (kind.value) url.searchParams.set('kind', kind.value);
    url.searchParams.set('pageSize', '20');
    return url.href;
  };
  const row = (op: Row) => {
    const href = `${ui}/operations/${encodeURIComponent(op.id)}`;
    const badge = el('span', { className: 'badge', text: op.status });
    badge.dataset.status = op.status;
    const created = op.createdDateTime ? new Date(op.createdDateTime).toLocaleString() : '';
    return el(
      'tr',
      { attrs: { 'data-id': op.id } },
      el(
        'td',
        {},
        el('a', { text: op.title ?? op.id, attrs: { href } }),
        el('div', { className: 'muted', text: op.id }),
      ),
      el('td', { text: op.kind ?? '' }),
      el('td', {}, badge),
      el('td', {
        text: op.percentComplete === undefined ? '' : `${Math.round(op.percentComplete)}%`,
      }),
      el('td', { text: created }),
    );
  };
  const load = async (url: string) => {
    pageUrl = url;
    try {
      const needle = search.value.trim();
      let rows: Row[];
      if (needle && /^[A-Za-z0-9_-]{8,}$/.test(needle)) {
        try {
          const found = await api(`${config.root}/operations/${encodeURIComponent(needle)}`);
          rows = [found.body as Row];
        } catch {
          rows = [];
        }
        nextLink = undefined;
      } else {
        const answer = await api(url);
        const page = answer.body as { value: Row[]; nextLink?: string };
        rows = page.value.filter((op) => !needle || op.id.includes(needle));
        nextLink = page.nextLink;
      }
      body.replaceChildren(...rows.map(row));
      info.textContent = rows.length === 0 ? 'No operations.' : `${rows.length} shown.`;
      next.disabled = nextLink === undefined;
    } catch (error) {
      info.textContent = error instanceof Error ? error.message : String(error);
    }
  };
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(firstUrl());
  });
  first.addEventListener('click', () => void load(firstUrl()));
  next.addEventListener('click', () => nextLink && void load(nextLink));
  void load(firstUrl());
  void follow(() => void load(pageUrl));
  return section;
}

/** Reads the tenant's event feed and calls `changed` (at most every 300 ms) while events arrive. */
async function follow(changed: () => void): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poke = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      changed();
    }, 300);
  };
  for (let attempt = 0; attempt < 1000; attempt++) {
    try {
      const response = await fetch(`${config.root}/operations/events`, {
        headers: { accept: 'text/event-stream', ...authHeaders() },
      });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value && new TextDecoder().decode(value).includes('data:')) poke();
      }
    } catch {
      // Fall back to a slow refresh while the stream is down.
      poke();
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function operationPage(id: string): HTMLElement {
  const url = `${config.root}/operations/${encodeURIComponent(id)}`;
  const widget = document.createElement('longrun-progress');
  widget.setAttribute('src', new URL(url, location.origin).href);
  const key = apiKey();
  if (key) widget.setAttribute('token', key);
  const raw = el('pre', { className: 'raw', attrs: { id: 'raw-json', tabindex: '0' } });
  raw.hidden = true;
  const toggle = el('button', {
    text: 'Show raw JSON',
    attrs: { type: 'button', 'aria-controls': 'raw-json', 'aria-expanded': 'false' },
  });
  toggle.addEventListener('click', async () => {
    if (!raw.hidden) {
      raw.hidden = true;
      toggle.textContent = 'Show raw JSON';
      toggle.setAttribute('aria-expanded', 'false');
      return;
    }
    try {
      raw.textContent = JSON.stringify((await api(url)).body, null, 2);
    } catch (error) {
      raw.textContent = error instanceof Error ? error.message : String(error);
    }
    raw.hidden = false;
    toggle.textContent = 'Hide raw JSON';
    toggle.setAttribute('aria-expanded', 'true');
  });
  const embed = el('code', {
    text: `<script type="module" src="${location.origin}${config.widget}"></script>\n<longrun-progress src="${new URL(url, location.origin).href}"></longrun-progress>`,
  });
  return el(
    'section',
    { attrs: { 'aria-labelledby': 'op-heading' } },
    el('p', {}, el('a', { text: '← All operations', attrs: { href: `${ui}/` } })),
    el('h1', { text: `Operation ${id}`, attrs: { id: 'op-heading' } }),
    widget,
    el('div', { className: 'tools' }, toggle),
    raw,
    el('details', {}, el('summary', { text: 'Embed this widget' }), el('pre', {}, embed)),
  );
}

function route(): void {
  document.body.prepend(header());
  const path = location.pathname.slice(ui.length);
  const op = /^\/operations\/([^/]+)\/?$/.exec(path);
  if (config.auth && !apiKey()) {
    main.append(notice('This server needs an API key: enter it above.'));
    return;
  }
  if (op) {
    document.title = `Operation ${decodeURIComponent(op[1]!)} · longrun`;
    main.append(operationPage(decodeURIComponent(op[1]!)));
  } else if (path === '/stats' || path === '/stats/') {
    document.title = 'Stats · longrun';
    main.append(renderStats(config));
  } else {
    main.append(el('h1', { text: 'Operations dashboard' }));
    const start = startSection();
    if (start) main.append(start);
    main.append(listSection());
  }
}

export type { DashboardConfig };

route();

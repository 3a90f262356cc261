import { api, type DashboardConfig, el } from './api.js';

interface Figures {
  counts: Record<string, number>;
  durationSeconds?: { p50: number; p95: number };
}
interface KindStats extends Figures {
  kind: string;
  steps: (Figures & { path: string[]; title: string })[];
}
interface StatsDocument {
  window: string;
  from: string;
  to: string;
  kinds: KindStats[];
}

const SVG = 'http://www.w3.org/2000/svg';
const OUTCOMES = ['Succeeded', 'Failed', 'Canceled'];

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Horizontal bars: p50 (solid) and p95 (light) duration per row, in seconds. */
function durationChart(title: string, rows: { label: string; figures: Figures }[]): SVGSVGElement {
  const width = 760;
  const labelWidth = 300;
  const rowHeight = 26;
  const height = rows.length * rowHeight + 24;
  const max = Math.max(0.001, ...rows.map((row) => row.figures.durationSeconds?.p95 ?? 0));
  const scale = (seconds: number) => ((width - labelWidth - 130) * seconds) / max;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    'aria-label': title,
    class: 'chart',
  });
  chart.append(svg('title', {}, title));
  rows.forEach((row, index) => {
    const y = index * rowHeight + 4;
    chart.append(svg('text', { x: 0, y: y + 15, class: 'label' }, row.label.slice(0, 44)));
    const d = row.figures.durationSeconds;
    if (!d) {
      chart.append(svg('text', { x: labelWidth, y: y + 15, class: 'muted' }, 'no successful runs'));
      return;
    }
    chart.append(
      svg('rect', { x: labelWidth, y, width: scale(d.p95), height: 18, class: 'p95' }),
      svg('rect', { x: labelWidth, y: y + 4, width: scale(d.p50), height: 10, class: 'p50' }),
      svg(
        'text',
        { x: labelWidth + scale(d.p95) + 6, y: y + 14, class: 'value' },
        `${d.p50.toFixed(2)}s / ${d.p95.toFixed(2)}s`,
      ),
    );
  });
  chart.append(
    svg(
      'text',
      { x: labelWidth, y: height - 4, class: 'muted' },
      'p50 (dark) and p95 (light), seconds',
    ),
  );
  return chart;
}

/** One stacked bar of outcomes per kind: the runs that ended in the window. */
function outcomeChart(kinds: KindStats[]): SVGSVGElement {
  const width = 760;
  const labelWidth = 300;
  const rowHeight = 26;
  const height = kinds.length * rowHeight + 8;
  const total = (k: Figures) => OUTCOMES.reduce((sum, o) => sum + (k.counts[o] ?? 0), 0);
  const max = Math.max(1, ...kinds.map(total));
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    'aria-label': 'Runs per kind by outcome',
    class: 'chart',
  });
  kinds.forEach((kind, index) => {
    const y = index * rowHeight + 4;
    chart.append(svg('text', { x: 0, y: y + 15, class: 'label' }, kind.kind));
    let x = labelWidth;
    for (const outcome of OUTCOMES) {
      const count = kind.counts[outcome] ?? 0;
      const w = ((width - labelWidth - 90) * count) / max;
      if (w > 0) {
        const rect = svg('rect', { x, y, width: w, height: 18, class: outcome.toLowerCase() });
        rect.append(svg('title', {}, `${outcome}: ${count}`));
        chart.append(rect);
      }
      x += w;
    }
    const summary = OUTCOMES.map((o) => kind.counts[o] ?? 0).join(' / ');
    chart.append(svg('text', { x: x + 6, y: y + 14, class: 'value' }, summary));
  });
  return chart;
}

const WINDOW_MS: Record<string, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** Finished operations per time bucket over the window, from the caller's newest operations. */
async function throughputChart(config: DashboardConfig, window: string): Promise<SVGSVGElement> {
  const span = WINDOW_MS[window] ?? WINDOW_MS['24h']!;
  const now = Date.now();
  const buckets = new Array<number>(24).fill(0);
  let next: string | undefined = `${config.root}/operations?pageSize=200`;
  for (let page = 0; page < 5 && next; page++) {
    const body = (await api(next)).body as {
      value: { status: string; lastUpdatedDateTime?: string; createdDateTime?: string }[];
      nextLink?: string;
    };
    for (const op of body.value) {
      if (!['Succeeded', 'Failed', 'Canceled'].includes(op.status)) continue;
      const at = Date.parse(op.lastUpdatedDateTime ?? '');
      if (!(at > now - span)) continue;
      const index = Math.min(23, Math.floor(((at - (now - span)) / span) * 24));
      buckets[index] = (buckets[index] ?? 0) + 1;
    }
    const oldest = Date.parse(body.value.at(-1)?.createdDateTime ?? '');
    next = oldest > now - span ? body.nextLink : undefined;
  }
  const width = 760;
  const height = 160;
  const max = Math.max(1, ...buckets);
  const barWidth = (width - 40) / 24;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    'aria-label': `Operations finished per ${formatSpan(span / 24)} over the last ${window}`,
    class: 'chart',
  });
  buckets.forEach((count, index) => {
    const h = ((height - 40) * count) / max;
    const rect = svg('rect', {
      x: 30 + index * barWidth,
      y: height - 20 - h,
      width: barWidth - 4,
      height: h,
      class: 'p50',
    });
    rect.append(svg('title', {}, `${count} finished`));
    chart.append(rect);
  });
  chart.append(
    svg('text', { x: 30, y: 14, class: 'muted' }, `max ${max} per ${formatSpan(span / 24)}`),
    svg('text', { x: 30, y: height - 4, class: 'muted' }, `${window} ago`),
    svg('text', { x: width - 40, y: height - 4, class: 'muted' }, 'now'),
  );
  return chart;
}

function formatSpan(ms: number): string {
  if (ms >= 86_400_000) return `${Math.round(ms / 86_400_000)}d`;
  if (ms >= 3_600_000) return `${Math.round(ms / 3_600_000)}h`;
  return `${Math.round(ms / 60_000)}m`;
}

export function renderStats(config: DashboardConfig): HTMLElement {
  const section = el('section', { attrs: { 'aria-labelledby': 'stats-heading' } });
  const window = el('select', { attrs: { id: 'stats-window' } });
  for (const value of ['1h', '24h', '7d', '30d']) {
    window.append(el('option', { text: value, attrs: { value } }));
  }
  window.value = '24h';
  const body = el('div', { attrs: { 'aria-live': 'polite' } });
  section.append(
    el('h1', { text: 'Stats', attrs: { id: 'stats-heading' } }),
    el('label', { text: 'Window ', attrs: { for: 'stats-window' } }),
    window,
    body,
  );
  const load = async () => {
    try {
      const doc = (await api(`${config.root}/stats?window=${window.value}`)).body as StatsDocument;
      const parts: Node[] = [
        el('p', { className: 'muted', text: `Runs ended from ${doc.from} to ${doc.to}.` }),
      ];
      parts.push(
        el('h2', { text: 'Throughput over time' }),
        await throughputChart(config, window.value),
      );
      if (doc.kinds.length === 0) parts.push(el('p', { text: 'No finished runs in this window.' }));
      else {
        parts.push(
          el('h2', { text: 'Runs by outcome (succeeded / failed / canceled)' }),
          outcomeChart(doc.kinds),
          el('h2', { text: 'Duration per kind' }),
          durationChart(
            'Duration per kind',
            doc.kinds.map((kind) => ({ label: kind.kind, figures: kind })),
          ),
        );
        for (const kind of doc.kinds) {
          if (kind.steps.length === 0) continue;
          parts.push(
            el('h3', { text: `Steps of ${kind.kind}` }),
            durationChart(
              `Step durations of ${kind.kind}`,
              kind.steps.map((step) => ({ label: step.path.join(' › '), figures: step })),
            ),
          );
        }
      }
      body.replaceChildren(...parts);
    } catch (error) {
      body.replaceChildren(
        el('p', {
          className: 'notice error',
          text: error instanceof Error ? error.message : String(error),
        }),
      );
    }
  };
  window.addEventListener('change', () => void load());
  void load();
  return section;
}

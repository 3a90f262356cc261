import {
  createClient,
  type OperationHandle,
  type OperationSnapshot,
  type StepSnapshot,
} from '../../src/client/index.js';
import { countOf, currentStep, elapsedSeconds, formatSeconds, percentOf } from './format.js';
import { WIDGET_CSS } from './styles.js';

const TERMINAL_EVENTS: Record<string, string> = {
  Succeeded: 'longrun-done',
  Failed: 'longrun-failed',
  Canceled: 'longrun-canceled',
};

let sheet: CSSStyleSheet | undefined;
function widgetSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_CSS);
  }
  return sheet;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function progressBar(label: string, percent: number, status: string, small = false): HTMLElement {
  const bar = el('div', small ? 'bar small' : 'bar');
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-label', label);
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  bar.setAttribute('aria-valuenow', String(Math.round(percent)));
  const fill = el('div', 'fill');
  fill.dataset.status = status;
  fill.style.width = `${percent}%`;
  bar.append(fill);
  return bar;
}

/**
 * `<longrun-progress src="https://api.example.com/operations/abc" token="...">`: watches one operation
 * with longrun/client and shows its step tree, progress, message, timings, error, a cancel button
 * (when the server allows it) and the result link. Fires `longrun-done`, `longrun-failed` and
 * `longrun-canceled` (bubbling, composed, `detail` = the final snapshot).
 */
export class LongrunProgressElement extends HTMLElement {
  static observedAttributes = ['src', 'token'];

  readonly #root: ShadowRoot;
  readonly #title = el('span', 'title', 'Operation');
  readonly #badge = el('span', 'badge', 'Loading');
  readonly #bar: HTMLElement;
  readonly #percent = el('span', 'percent');
  readonly #count = el('span', 'count');
  readonly #elapsed = el('span', 'elapsed');
  readonly #eta = el('span', 'eta');
  readonly #message = el('div', 'message');
  readonly #error = el('div', 'error');
  readonly #steps = el('ol', 'steps');
  readonly #cancel = el('button', 'cancel', 'Cancel');
  readonly #result = el('a', 'result', 'View result');
  #handle: OperationHandle | undefined;
  #unsubscribe: (() => void) | undefined;
  #snapshot: OperationSnapshot | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #announced = '';

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [widgetSheet()];
    const head = el('div', 'head');
    head.setAttribute('part', 'head');
    head.append(this.#title, this.#badge);
    this.#bar = progressBar('Operation progress', 0, 'NotStarted');
    this.#bar.setAttribute('part', 'bar');
    const meta = el('div', 'meta');
    meta.append(this.#percent, this.#count, this.#elapsed, this.#eta);
    this.#message.setAttribute('role', 'status');
    this.#message.setAttribute('aria-live', 'polite');
    this.#message.setAttribute('aria-atomic', 'true');
    this.#error.setAttribute('role', 'alert');
    this.#error.hidden = true;
    this.#steps.setAttribute('aria-label', 'Steps');
    this.#cancel.type = 'button';
    this.#cancel.hidden = true;
    this.#cancel.addEventListener('click', () => void this.cancel());
    this.#result.hidden = true;
    const actions = el('div', 'actions');
    actions.append(this.#cancel, this.#result);
    this.#root.append(head, this.#bar, meta, this.#message, this.#error, this.#steps, actions);
  }

  /** The latest snapshot shown. */
  get snapshot(): OperationSnapshot | undefined {
    return this.#snapshot;
  }

  connectedCallback(): void {
    this.#watch();
  }

  disconnectedCallback(): void {
    this.#stop();
  }

  attributeChangedCallback(_name: string, previous: string | null, next: string | null): void {
    if (previous !== next && this.isConnected) this.#watch();
  }

  /** Asks the server to cancel the operation (what the Cancel button does). */
  async cancel(): Promise<void> {
    if (!this.#handle) return;
    this.#cancel.disabled = true;
    this.#cancel.textContent = 'Canceling…';
    try {
      await this.#handle.cancel();
    } catch (error) {
      this.#showError(`Cancel failed: ${error instanceof Error ? error.message : String(error)}`);
      this.#cancel.disabled = false;
      this.#cancel.textContent = 'Cancel';
    }
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#handle = undefined;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #watch(): void {
    this.#stop();
    const src = this.getAttribute('src');
    if (!src) return;
    const token = this.getAttribute('token');
    const client = createClient({
      baseUrl: document.baseURI,
      ...(token ? { apiKey: token } : {}),
    });
    const handle = client.operation(src);
    this.#handle = handle;
    this.#unsubscribe = handle.subscribe({
      next: (snapshot) => {
        if (this.#handle === handle) this.#render(snapshot);
      },
      error: (error) => {
        if (this.#handle !== handle) return;
        this.#badge.textContent = 'Unavailable';
        this.#showError(error instanceof Error ? error.message : String(error));
      },
    });
    this.#timer = setInterval(() => this.#renderTimes(), 1000);
  }

  #showError(text: string): void {
    this.#error.hidden = false;
    this.#error.textContent = text;
  }

  #renderTimes(): void {
    const snapshot = this.#snapshot;
    if (!snapshot) return;
    const elapsed = elapsedSeconds(snapshot, Date.now());
    this.#elapsed.textContent = elapsed === undefined ? '' : `Elapsed ${formatSeconds(elapsed)}`;
    const remaining = snapshot.estimatedRemainingSeconds;
    this.#eta.textContent =
      !snapshot.done && remaining !== undefined ? `About ${formatSeconds(remaining)} left` : '';
    if (snapshot.done && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #render(snapshot: OperationSnapshot): void {
    const previous = this.#snapshot;
    this.#snapshot = snapshot;
    this.#title.textContent = snapshot.title ?? snapshot.kind ?? snapshot.id ?? 'Operation';
    this.#badge.textContent = snapshot.status;
    this.#badge.dataset.status = snapshot.status;
    const percent = percentOf(snapshot);
    this.#bar.setAttribute('aria-valuenow', String(Math.round(percent)));
    this.#bar.setAttribute('aria-valuetext', `${Math.round(percent)}% (${snapshot.status})`);
    const fill = this.#bar.firstElementChild as HTMLElement;
    fill.style.width = `${percent}%`;
    fill.dataset.status = snapshot.status;
    this.#percent.textContent = `${Math.round(percent)}%`;
    this.#count.textContent = countOf(snapshot) ?? '';
    this.#renderTimes();

    const now = currentStep(snapshot.steps);
    const message = snapshot.message ?? now?.message ?? (now ? `Now: ${now.title}` : '');
    const announcement = `${snapshot.status}${message ? `: ${message}` : ''}`;
    if (announcement !== this.#announced) {
      this.#announced = announcement;
      this.#message.textContent = announcement;
    }

    if (snapshot.error) {
      const target = snapshot.error.target ? ` (target: ${snapshot.error.target})` : '';
      this.#showError(`${snapshot.error.code}: ${snapshot.error.message}${target}`);
    } else if (!this.#error.textContent?.startsWith('Cancel failed')) {
      this.#error.hidden = true;
    }

    this.#steps.replaceChildren(...(snapshot.steps ?? []).map((step) => this.#stepItem(step)));

    const cancelUrl = snapshot.links?.cancel;
    this.#cancel.hidden = snapshot.done || cancelUrl === undefined;
    if (snapshot.status === 'Canceling' || snapshot.cancelRequested) {
      this.#cancel.disabled = true;
      this.#cancel.textContent = 'Canceling…';
    }
    const resultUrl =
      snapshot.status === 'Succeeded'
        ? (snapshot.links?.result ?? snapshot.resourceLocation)
        : undefined;
    this.#result.hidden = resultUrl === undefined;
    if (resultUrl !== undefined) this.#result.href = resultUrl;

    if (snapshot.done && previous?.done !== true) {
      const type = TERMINAL_EVENTS[snapshot.status];
      if (type) {
        this.dispatchEvent(
          new CustomEvent(type, { detail: snapshot, bubbles: true, composed: true }),
        );
      }
    }
  }

  #stepItem(step: StepSnapshot): HTMLLIElement {
    const item = el('li');
    item.dataset.status = step.status;
    item.dataset.stepId = step.id;
    const row = el('div', 'step-row');
    const badge = el('span', 'badge', step.status);
    badge.dataset.status = step.status;
    const count = countOf(step);
    row.append(el('span', 'step-title', step.title));
    if (count) row.append(el('span', 'step-count', count));
    row.append(badge);
    item.append(row, progressBar(step.title, percentOf(step), step.status, true));
    if (step.message && step.status === 'Running') item.append(el('div', 'step-msg', step.message));
    if (step.error) {
      item.append(el('div', 'step-error', `${step.error.code}: ${step.error.message}`));
    }
    if (step.steps && step.steps.length > 0) {
      const list = el('ol');
      list.append(...step.steps.map((child) => this.#stepItem(child)));
      item.append(list);
    }
    return item;
  }
}

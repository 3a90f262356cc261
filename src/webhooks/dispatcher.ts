import type { Store, WebhookAttempt, WebhookDelivery } from '../store/store.js';
import { type SendResult, sendWebhook } from './send-webhook.js';
import type { WebhookSettings } from './webhook-settings.js';

const BATCH = 32;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/**
 * How long a wake-up by this process's own writes waits, gathering the writes that follow. Without it
 * a worker looked at the outbox after every claim and finish: on PostgreSQL at 200 operations/s,
 * 1,180 outbox queries per 600 operations, as many as the claims and finishes themselves.
 */
const WAKE_DELAY_MS = 20;

/** What one attempt's result means for its delivery: done, gone, or try again (and when). */
export function nextAttempt(
  delivery: WebhookDelivery,
  result: SendResult,
  settings: WebhookSettings,
  now: number,
  random: () => number = Math.random,
): WebhookAttempt {
  const status = result.httpStatus;
  const base = { id: delivery.id, at: now, httpStatus: status, error: result.error };
  if (status !== undefined && status >= 200 && status < 300) {
    return { ...base, state: 'delivered', nextAttemptAt: now };
  }
  if (status === 410) return { ...base, state: 'gone', nextAttemptAt: now };
  const error = result.error ?? `The receiver answered ${status}.`;
  const failures = delivery.attempts + 1;
  const schedule = settings.retryScheduleMs;
  if (failures > schedule.length) {
    return { ...base, error, state: 'failed', nextAttemptAt: now };
  }
  let waitMs = schedule[failures - 1]! * (1 - settings.jitter + 2 * settings.jitter * random());
  if ((status === 429 || status === 503) && result.retryAfterMs !== undefined) {
    waitMs = Math.min(result.retryAfterMs, settings.maxRetryAfterMs);
  }
  return { ...base, error, state: 'pending', nextAttemptAt: now + Math.round(waitMs) };
}

/**
 * Delivers the outbox at least once: polls for due deliveries (and wakes WAKE_DELAY_MS after a write
 * of this process), sends each signed, records the outcome. A crash between send and record repeats the
 * send with the same `webhook-id` once the claim's hold (timeout + 5 s) passes.
 */
export class WebhookDispatcher {
  readonly #store: Store;
  readonly #settings: WebhookSettings;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #wakeTimer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #prunedAt = 0;
  #stopped = false;

  constructor(store: Store, settings: WebhookSettings, onError: (error: unknown) => void) {
    this.#store = store;
    this.#settings = settings;
    this.#onError = onError;
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.kick(), this.#settings.pollMs);
    this.#timer.unref();
    this.#unsubscribe = this.#store.onChange(
      (signal) => {
        if (signal.kind !== 'created') this.#wakeSoon();
      },
      // Only this process's writes: each process's dispatcher takes up the outbox rows its own writes
      // add; rows another process added (whose dispatcher may be off) wait for the next poll.
      { kinds: ['updated', 'cancel-requested', 'finished'], ownWrites: true },
    );
    this.kick();
  }

  /** Looks at the outbox now (or right after the pass under way). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#pass()
      .catch(this.#onError)
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  #wakeSoon(): void {
    this.#wakeTimer ??= setTimeout(() => {
      this.#wakeTimer = undefined;
      this.kick();
    }, WAKE_DELAY_MS);
  }

  /** Stops polling and waits for the attempts under way to be recorded. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#wakeTimer);
    this.#wakeTimer = undefined;
    this.#unsubscribe?.();
    while (this.#running) await this.#running;
  }

  async #pass(): Promise<void> {
    const holdMs = this.#settings.timeoutMs + 5000;
    if (Date.now() - this.#prunedAt > PRUNE_EVERY_MS) {
      this.#prunedAt = Date.now();
      await this.#store.webhooks.pruneDeliveries(Date.now() - this.#settings.logRetentionMs);
    }
    for (;;) {
      const due = await this.#store.webhooks.claimDue(Date.now(), BATCH, holdMs);
      await Promise.all(due.map((delivery) => this.#deliver(delivery)));
      if (due.length < BATCH || this.#stopped) return;
    }
  }

  async #deliver(delivery: WebhookDelivery): Promise<void> {
    let result: SendResult;
    try {
      result = await sendWebhook(delivery, this.#settings);
    } catch (error) {
      result = { error: error instanceof Error ? error.message : String(error) };
    }
    const attempt = nextAttempt(delivery, result, this.#settings, Date.now());
    await this.#store.webhooks.recordAttempt(attempt);
  }
}

import { randomBytes } from 'node:crypto';

/** `webhooks` of LongrunOptions. Every field is optional. */
export interface WebhookOptions {
  /** Allow targets on private, loopback, link-local (etc.) addresses. Default false: refused. */
  allowPrivateTargets?: boolean;
  /** Waits after failed attempt 1, 2, ...; past the last the delivery is `failed`. Default ~21 h. */
  retryScheduleMs?: readonly number[];
  /** Each wait is scaled by a random factor in [1 - jitter, 1 + jitter]. Default 0.2. */
  jitter?: number;
  /** A receiver that has not answered in this long is a failed attempt. Default 10 s. */
  timeoutMs?: number;
  /** How often the outbox is polled (finishes in this process wake it at once). Default 1 s. */
  pollMs?: number;
  /** Longest Retry-After (429/503) honoured. Default 12 h. */
  maxRetryAfterMs?: number;
  /**
   * Standard Webhooks secret (`whsec_...`) that per-operation callbacks are signed with. Default: a
   * random one per process (set it to let receivers verify callbacks).
   */
  callbackSecret?: string;
  /** How long settled deliveries stay in the delivery log. Default 7 days. */
  logRetentionMs?: number;
  /** Run the dispatcher in this process. Default true. */
  dispatch?: boolean;
}

export type WebhookSettings = Required<Omit<WebhookOptions, 'retryScheduleMs'>> & {
  retryScheduleMs: readonly number[];
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** 1 s, 5 s, 30 s, 2 min, 10 min, 30 min, 2 h, 6 h, 12 h: ten attempts over about 21 hours. */
export const DEFAULT_RETRY_SCHEDULE_MS = [
  SECOND,
  5 * SECOND,
  30 * SECOND,
  2 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  6 * HOUR,
  12 * HOUR,
];

/** A fresh Standard Webhooks signing secret: `whsec_` and 24 random bytes, base64. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export function webhookSettings(options: WebhookOptions = {}): WebhookSettings {
  return {
    allowPrivateTargets: options.allowPrivateTargets ?? false,
    retryScheduleMs: options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
    jitter: options.jitter ?? 0.2,
    timeoutMs: options.timeoutMs ?? 10 * SECOND,
    pollMs: options.pollMs ?? SECOND,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 12 * HOUR,
    callbackSecret: options.callbackSecret ?? newWebhookSecret(),
    logRetentionMs: options.logRetentionMs ?? 7 * 24 * HOUR,
    dispatch: options.dispatch ?? true,
  };
}

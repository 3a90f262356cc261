import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { WebhookDelivery } from '../store/store.js';
import { checkTarget, parseTargetUrl, TargetRefused } from './target-guard.js';

/** The thin Standard Webhooks payload: what happened, and where to read the rest. */
export function webhookPayload(delivery: WebhookDelivery): string {
  return JSON.stringify({
    type: delivery.type,
    timestamp: new Date(delivery.occurredAt).toISOString(),
    data: {
      id: delivery.operationId,
      kind: delivery.kind,
      status: delivery.status,
      ...(delivery.percentComplete === undefined
        ? {}
        : { percentComplete: delivery.percentComplete }),
      links: { self: `${delivery.root}/operations/${delivery.operationId}` },
    },
  });
}

export interface SendOptions {
  allowPrivateTargets: boolean;
  timeoutMs: number;
}

/** What one attempt got: a status (and its Retry-After in ms), or an error before any status. */
export interface SendResult {
  httpStatus?: number;
  retryAfterMs?: number;
  error?: string;
  /** The target is refused (private address, bad URL): retrying will not help soon. */
  refused?: boolean;
}

/** Retry-After as delta-seconds or an HTTP date, in ms from now; undefined when absent or invalid. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * One signed attempt. The host is resolved and checked again now, and the connection goes to the
 * address checked (a `lookup` that returns it), so DNS rebinding cannot reach a private address.
 */
export async function sendWebhook(
  delivery: WebhookDelivery,
  options: SendOptions,
): Promise<SendResult> {
  let url: URL;
  let lookup: LookupFunction;
  try {
    url = parseTargetUrl(delivery.url);
    const checked = await checkTarget(url, options.allowPrivateTargets);
    lookup = (_host, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: CheckedAddressList) => void)(null, [checked]);
      } else callback(null, checked.address, checked.family);
    };
  } catch (error) {
    if (error instanceof TargetRefused) return { error: error.message, refused: true };
    throw error;
  }
  const body = delivery.method === 'GET' ? '' : webhookPayload(delivery);
  const now = new Date();
  const signature = new Webhook(delivery.secret).sign(delivery.id, now, body);
  const headers: Record<string, string> = {
    'user-agent': 'longrun-webhooks/1',
    'webhook-id': delivery.id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signature,
  };
  if (body) headers['content-type'] = 'application/json';
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    const request = transport.request(url, {
      method: delivery.method,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const header = response.headers['retry-after'];
      const wait = retryAfterMs(Array.isArray(header) ? header[0] : header);
      response.resume();
      response.on('error', () => {});
      resolve({ httpStatus: status, ...(wait === undefined ? {} : { retryAfterMs: wait }) });
    });
    request.on('error', (error) => {
      const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
      resolve({
        error: timedOut
          ? `No answer within ${options.timeoutMs} ms.`
          : `Connection failed: ${error.message}`,
      });
    });
    request.end(body);
  });
}

type CheckedAddressList = { address: string; family: number }[];

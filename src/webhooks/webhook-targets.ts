import { ProblemError } from '../protocol/problem.js';
import type { WebhookCallback } from '../store/store.js';
import { checkTarget, parseTargetUrl, TargetRefused } from './target-guard.js';
import type { WebhookSettings } from './webhook-settings.js';

/** Checks a target URL now (registration or start): a refused one is a 422 problem. */
export async function acceptTarget(
  value: unknown,
  settings: WebhookSettings,
  target: string,
): Promise<string> {
  try {
    const url = parseTargetUrl(value);
    await checkTarget(url, settings.allowPrivateTargets);
    return url.href;
  } catch (error) {
    if (error instanceof TargetRefused) {
      throw new ProblemError('ValidationFailed', error.message, { target });
    }
    throw error;
  }
}

/** OData `Prefer: callback; url="..."`: the URL, or undefined. */
export function preferCallbackUrl(prefer: string | null): string | undefined {
  if (!prefer) return undefined;
  const match = /(?:^|,)\s*callback\s*;\s*url\s*=\s*(?:"([^"]*)"|([^\s,;]+))/i.exec(prefer);
  return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * The callbacks a start request asks for: `Callback-Url` (a signed POST of the final event) and
 * OData `Prefer: callback; url=...` (a GET at the end). Checked before anything is stored.
 */
export async function requestedCallbacks(
  request: Request,
  settings: WebhookSettings | undefined,
): Promise<Omit<WebhookCallback, 'operationId' | 'tenant' | 'root'>[]> {
  const post = request.headers.get('callback-url') ?? undefined;
  const get = preferCallbackUrl(request.headers.get('prefer'));
  if (post === undefined && get === undefined) return [];
  if (!settings) {
    throw new ProblemError('InvalidArgument', 'This server sends no webhooks; drop the callback.');
  }
  const callbacks: Omit<WebhookCallback, 'operationId' | 'tenant' | 'root'>[] = [];
  const secret = settings.callbackSecret;
  if (post !== undefined) {
    const url = await acceptTarget(post, settings, 'Callback-Url');
    callbacks.push({ url, method: 'POST', secret });
  }
  if (get !== undefined) {
    const url = await acceptTarget(get, settings, 'Prefer');
    callbacks.push({ url, method: 'GET', secret });
  }
  return callbacks;
}

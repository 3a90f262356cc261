import { parseStatsWindow, statsDocument } from '../../protocol/duration-stats.js';
import type { HandlerContext, RequestScope } from '../handler-context.js';
import { json } from '../respond.js';

/**
 * `GET R/stats?window=24h`: the caller's runs that ended in the window, per kind and per step path:
 * counts by outcome (Succeeded, Failed, Canceled) and the p50/p95 duration of the successful ones.
 * Counts come from runs a worker finished (protocol/durations.ts); `window` is 1m to 30d (default
 * 24h), a bad one is a 400 problem.
 */
export async function getStats(context: HandlerContext, scope: RequestScope): Promise<Response> {
  const window = parseStatsWindow(scope.url.searchParams.get('window'));
  const now = Date.now();
  const rows = await context.store.durationCounts({ tenant: scope.tenant, since: now - window.ms });
  return json(statsDocument(rows, window, now), 200, { 'cache-control': 'private, no-cache' });
}

/** Parsed RFC 7240 `Prefer` preferences that longrun honours. */
export interface Preferences {
  respondAsync: boolean;
  /** Seconds, already capped; undefined when no valid `wait` was asked for. */
  wait: number | undefined;
}

/**
 * Parses every `Prefer` header value (comma-separated, case-insensitive names).
 * Unknown or malformed preferences are ignored, as RFC 7240 asks.
 */
export function parsePrefer(header: string | null, maxWaitSeconds: number): Preferences {
  const preferences: Preferences = { respondAsync: false, wait: undefined };
  if (!header) return preferences;
  for (const part of header.split(',')) {
    const [token = ''] = part.split(';');
    const [rawName = '', rawValue] = token.split('=');
    const name = rawName.trim().toLowerCase();
    if (name === 'respond-async') preferences.respondAsync = true;
    if (name === 'wait' && rawValue !== undefined) {
      const seconds = Number(rawValue.trim().replace(/^"|"$/g, ''));
      if (Number.isFinite(seconds) && seconds >= 0) {
        preferences.wait = Math.min(seconds, maxWaitSeconds);
      }
    }
  }
  return preferences;
}

import { empty } from '../respond.js';

/** The headers PROTOCOL.md section 9 makes readable to browser clients on other origins. */
export const EXPOSED_HEADERS =
  'Location, Operation-Location, Azure-AsyncOperation, Content-Location, Retry-After, ETag, Preference-Applied, AsyncResult';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

/**
 * The answer to a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`), else
 * undefined. Callers authenticate with headers, never cookies, so any origin may call (`*`, no
 * credentials): the API key is what protects the data.
 */
export function corsPreflight(request: Request): Response | undefined {
  if (request.method !== 'OPTIONS') return undefined;
  if (!request.headers.has('origin') || !request.headers.has('access-control-request-method')) {
    return undefined;
  }
  const headers: Record<string, string> = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-max-age': '600',
    vary: 'Access-Control-Request-Headers',
  };
  const asked = request.headers.get('access-control-request-headers');
  if (asked) headers['access-control-allow-headers'] = asked;
  return empty(204, headers);
}

/** Adds the CORS answer headers when the request came from a browser on some origin. */
export function withCors(request: Request, response: Response): Response {
  if (!request.headers.has('origin') || response.headers.has('access-control-allow-origin')) {
    return response;
  }
  const add = (headers: Headers) => {
    headers.set('access-control-allow-origin', '*');
    headers.set('access-control-expose-headers', EXPOSED_HEADERS);
  };
  try {
    add(response.headers);
    return response;
  } catch {
    // Immutable headers (a Response from fetch()): copy it.
    const copy = new Response(response.body, response);
    add(copy.headers);
    return copy;
  }
}

/**
 * The origin and path of a request URL, which the handler needs for every request, without
 * `new URL()` when the URL is plain: parsing it was a seventh of a 304's CPU (measured). A plain
 * path is one the URL parser would leave as it is: only `[A-Za-z0-9_~:/.-]`, no dot segment, no
 * query or fragment. Anything else (and `url`, when a route wants the query) is parsed for real.
 */
export class RequestUrl {
  readonly href: string;
  readonly origin: string;
  readonly pathname: string;
  #parsed: URL | undefined;

  constructor(href: string) {
    this.href = href;
    // Nearly every request a server gets comes in on the origin of the one before it.
    const last = lastOrigin;
    const known =
      last !== undefined && href.startsWith(last.raw) && href.charCodeAt(last.raw.length) === SLASH;
    const pathStart = known ? last.raw.length : href.indexOf('/', href.indexOf('//') + 2);
    const path = pathStart === -1 ? '' : href.slice(pathStart);
    if (pathStart !== -1 && PLAIN_PATH.test(path) && !path.includes('/.')) {
      this.origin = known ? last.origin : normalizedOrigin(href.slice(0, pathStart));
      this.pathname = path;
    } else {
      this.#parsed = new URL(href);
      this.origin = this.#parsed.origin;
      this.pathname = this.#parsed.pathname;
    }
  }

  /** The whole parsed URL (query parameters and all). */
  get url(): URL {
    this.#parsed ??= new URL(this.href);
    return this.#parsed;
  }
}

const PLAIN_PATH = /^\/[\w~:/.-]*$/;
const SLASH = 47;

/**
 * `scheme://host[:port]` as URL normalises it (case, default port, IPv4 forms), remembered per raw
 * text: a server sees a handful of origins. The Host header is the client's to choose, so the memory
 * is bounded and simply starts over when full.
 */
const origins = new Map<string, string>();
const MAX_ORIGINS = 64;

let lastOrigin: { raw: string; origin: string } | undefined;

function normalizedOrigin(raw: string): string {
  if (raw === lastOrigin?.raw) return lastOrigin.origin;
  let origin = origins.get(raw);
  if (origin === undefined) {
    origin = new URL(raw).origin;
    if (origins.size >= MAX_ORIGINS) origins.clear();
    origins.set(raw, origin);
  }
  lastOrigin = { raw, origin };
  return origin;
}

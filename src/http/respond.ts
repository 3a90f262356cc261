import { type ErrorBody, problemDocument } from '../protocol/problem.js';

/** The one shape of the HTTP core: a Fetch-standard handler. Adapters mount it on node:http, Express, Fastify. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** An answer that may be ready at once (no I/O was needed), or later. */
export type Answer = Response | Promise<Response>;

/**
 * The core's own handler also carries, under this key, the same handler without the promise wrapped
 * around answers that are ready at once (a poll answered from memory): the node adapters call it and
 * write such an answer in the same turn. Any other FetchHandler is simply awaited.
 */
export const ANSWER_NOW = Symbol('longrun.answerNow');

export type CoreHandler = FetchHandler & { [ANSWER_NOW]?: (request: Request) => Answer };

/** A JSON answer. All JSON responses go through here so adapters can rely on one construction path. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return lightResponse(
    status,
    { 'content-type': 'application/json; charset=utf-8', ...headers },
    JSON.stringify(body),
  );
}

/** A JSON answer whose body is already serialised. */
export function jsonText(
  text: string,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return lightResponse(
    status,
    { 'content-type': 'application/json; charset=utf-8', ...headers },
    text,
  );
}

export function empty(status: number, headers: Record<string, string> = {}): Response {
  return lightResponse(status, headers, null);
}

/**
 * An RFC 9457 problem answer with the section-3 `error` object and `x-ms-error-code`.
 * Served as `application/json` when the caller's Accept lists only that.
 */
export function problem(
  status: number,
  error: ErrorBody,
  options: { accept?: string | null; instance?: string; headers?: Record<string, string> } = {},
): Response {
  const onlyJson =
    options.accept !== undefined &&
    options.accept !== null &&
    /application\/json/.test(options.accept) &&
    !/problem\+json|\*\/\*/.test(options.accept);
  return lightResponse(
    status,
    {
      'content-type': onlyJson ? 'application/json; charset=utf-8' : 'application/problem+json',
      'x-ms-error-code': error.code,
      ...options.headers,
    },
    JSON.stringify(problemDocument(status, error, options.instance)),
  );
}

/** What the node adapter writes directly for a response built here and not touched since. */
export interface PlainResponseParts {
  status: number;
  /** Lower-case names as given to json()/empty()/problem(); the caller must not mutate it. */
  headers: Readonly<Record<string, string>>;
  body: string | null;
}

/**
 * The parts of a response from json()/empty()/problem() that nobody has read beyond `status`,
 * else undefined (any other Response, or one whose headers or body were touched: its real
 * Response is then the truth and must be written through the streaming path).
 */
export function plainResponseParts(response: Response): PlainResponseParts | undefined {
  return LightResponse.partsOf(response);
}

// Statuses whose responses carry no body (Fetch "null body status").
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function lightResponse(
  status: number,
  headers: Record<string, string>,
  body: string | null,
): Response {
  // Fail here, as `new Response` would, rather than later in an adapter.
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`Response status ${status} is outside 200-599.`);
  }
  if (body !== null && NULL_BODY_STATUSES.has(status)) {
    throw new TypeError(`A ${status} response cannot have a body.`);
  }
  return new LightResponse(status, headers, body) as unknown as Response;
}

/**
 * Why this exists: on Node 20 an undici `Response` with a JSON string costs ~14 µs to build and
 * ~20 µs more to stream out (measured), while a whole bare node:http GET costs ~17 µs of CPU. A
 * LightResponse keeps status, headers and body text, and builds the real Response the first time
 * anything but `status`/`ok` is read, so every Fetch consumer (Hono, tests, `await res.json()`)
 * still sees a normal Response; the node adapter writes untouched ones with one writeHead + end.
 */
class LightResponse {
  readonly #status: number;
  readonly #headers: Record<string, string>;
  readonly #body: string | null;
  #real: Response | undefined;

  constructor(status: number, headers: Record<string, string>, body: string | null) {
    this.#status = status;
    this.#headers = headers;
    this.#body = body;
  }

  static partsOf(response: Response): PlainResponseParts | undefined {
    if (!(#real in response) || response.#real !== undefined) return undefined;
    return { status: response.#status, headers: response.#headers, body: response.#body };
  }

  #response(): Response {
    this.#real ??= new Response(this.#body, { status: this.#status, headers: this.#headers });
    return this.#real;
  }

  get status(): number {
    return this.#status;
  }
  get ok(): boolean {
    return this.#status >= 200 && this.#status < 300;
  }
  get statusText(): string {
    return this.#response().statusText;
  }
  get type(): ResponseType {
    return this.#response().type;
  }
  get url(): string {
    return this.#response().url;
  }
  get redirected(): boolean {
    return this.#response().redirected;
  }
  get headers(): Headers {
    return this.#response().headers;
  }
  get body(): ReadableStream<Uint8Array> | null {
    return this.#response().body;
  }
  get bodyUsed(): boolean {
    return this.#response().bodyUsed;
  }
  clone(): Response {
    return this.#response().clone();
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#response().arrayBuffer();
  }
  blob(): Promise<Blob> {
    return this.#response().blob();
  }
  bytes(): Promise<Uint8Array> {
    return this.#response().bytes();
  }
  formData(): Promise<FormData> {
    return this.#response().formData();
  }
  json(): Promise<unknown> {
    return this.#response().json();
  }
  text(): Promise<string> {
    return this.#response().text();
  }
}

// So `instanceof Response` holds. Every Response member is redefined above, so no undici
// internal ever runs against a LightResponse.
Object.setPrototypeOf(LightResponse.prototype, Response.prototype);

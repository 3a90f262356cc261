import type { IncomingHttpHeaders } from 'node:http';

/**
 * Request headers answered straight from node's parsed `req.headers` for `get`/`has` (the only calls
 * a route makes on the hot path); any other use builds a real `Headers` once and defers to it.
 */
export class NodeHeaders {
  readonly #source: IncomingHttpHeaders;
  #real: Headers | undefined;

  constructor(source: IncomingHttpHeaders) {
    this.#source = source;
  }

  get(name: string): string | null {
    if (this.#real !== undefined) return this.#real.get(name);
    const value = this.#source[name.toLowerCase()];
    if (value === undefined) return null;
    return typeof value === 'string' ? value : value.join(', ');
  }
  has(name: string): boolean {
    if (this.#real !== undefined) return this.#real.has(name);
    return this.#source[name.toLowerCase()] !== undefined;
  }

  toHeaders(): Headers {
    if (this.#real === undefined) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(this.#source)) {
        if (typeof value === 'string') headers.append(name, value);
        else if (value !== undefined) for (const item of value) headers.append(name, item);
      }
      this.#real = headers;
    }
    return this.#real;
  }

  set(name: string, value: string): void {
    this.toHeaders().set(name, value);
  }
  append(name: string, value: string): void {
    this.toHeaders().append(name, value);
  }
  delete(name: string): void {
    this.toHeaders().delete(name);
  }
  getSetCookie(): string[] {
    return this.toHeaders().getSetCookie();
  }
  forEach(callback: (value: string, name: string, parent: Headers) => void): void {
    this.toHeaders().forEach(callback);
  }
  entries(): HeadersIterator<[string, string]> {
    return this.toHeaders().entries();
  }
  keys(): HeadersIterator<string> {
    return this.toHeaders().keys();
  }
  values(): HeadersIterator<string> {
    return this.toHeaders().values();
  }
  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.toHeaders().entries();
  }
}

import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './command-errors.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `--header 'K: V'`, repeatable: collects the headers of the start request. */
export function collectHeader(value: string, previous: Record<string, string> = {}) {
  const colon = value.indexOf(':');
  const name = colon > 0 ? value.slice(0, colon).trim() : '';
  if (!TOKEN.test(name)) {
    throw new InvalidArgumentError(
      `"${value}" is not a header: use Name:value, e.g. --header 'Idempotency-Key: 7f3a'.`,
    );
  }
  return { ...previous, [name.toLowerCase()]: value.slice(colon + 1).trim() };
}

export function parseMethod(value: string): string {
  if (!/^[A-Za-z]+$/.test(value)) {
    throw new InvalidArgumentError(`"${value}" is not an HTTP method, e.g. POST, PUT or DELETE.`);
  }
  return value.toUpperCase();
}

/** The text of `--data`: as given, or read from `@file` (`@-` is standard input). */
function dataText(data: string): string {
  if (!data.startsWith('@')) return data;
  const file = data.slice(1);
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`--data ${data}: cannot read ${file}: ${(error as Error).message}`);
  }
}

/**
 * The body of the start request: `--data` parsed as JSON (sent as application/json), or the text as
 * it is when a Content-Type header says what it is.
 */
export function requestBody(data: string | undefined, headers: Record<string, string>): unknown {
  if (data === undefined) return undefined;
  const text = dataText(data);
  if (headers['content-type'] !== undefined) return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--data is not JSON (${(error as Error).message}). Quote it, e.g. --data '{"items": 10}', or pass --header 'Content-Type: text/plain' to send text.`,
    );
  }
}

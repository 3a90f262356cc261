import { InvalidArgumentError } from 'commander';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a port: use a whole number from 0 to 65535.`);
  }
  return port;
}

export function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new InvalidArgumentError(`"${value}" is not a whole number of at least 1.`);
  }
  return number;
}

export function parsePositiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError(`"${value}" is not a positive number.`);
  }
  return number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `15m`, `36h`, `7d` -> milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  if (!match) {
    throw new InvalidArgumentError(
      `"${value}" is not a duration: use a number and a unit, e.g. 30s, 15m, 36h, 7d.`,
    );
  }
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export function parseUrlOrigin(value: string): string {
  try {
    const url = new URL(value);
    if (url.pathname !== '/' || url.search || url.hash) throw new Error('has a path');
    return url.origin;
  } catch {
    throw new InvalidArgumentError(
      `"${value}" is not an origin: use scheme, host and port only, e.g. https://api.example.com`,
    );
  }
}

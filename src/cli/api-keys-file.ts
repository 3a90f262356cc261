import { readFileSync } from 'node:fs';

/**
 * Reads an API keys file: a JSON object mapping each key to its tenant, e.g.
 * `{"k-3f9a...": "acme", "k-77b1...": "globex"}`. Errors name the file and the fix, never a key.
 */
export function readApiKeysFile(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read API keys from ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path} must hold a JSON object mapping each API key to a tenant name.`);
  }
  const entries = Object.entries(parsed);
  if (entries.length === 0) throw new Error(`${path} holds no API keys.`);
  for (const [index, [key, tenant]] of entries.entries()) {
    if (typeof tenant !== 'string' || tenant === '' || key.length < 16) {
      throw new Error(
        `Entry ${index + 1} of ${path} is not valid: keys need at least 16 characters and a non-empty tenant name.`,
      );
    }
  }
  return parsed as Record<string, string>;
}

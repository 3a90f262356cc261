import { ProblemError } from '../protocol/problem.js';

/** Reads the request body as text, refusing (413) as soon as it passes `maxBytes`. */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(declared, maxBytes);
  // With a Content-Length within the limit, HTTP framing bounds the body: read it whole.
  if (Number.isInteger(declared)) return declared === 0 ? '' : request.text();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(size, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(size: number, maxBytes: number): ProblemError {
  return new ProblemError(
    'PayloadTooLarge',
    `The request body is ${size} bytes or more; this server accepts at most ${maxBytes} bytes.`,
  );
}

/** Parses a JSON body. An empty body is `undefined`; anything else must be valid JSON. */
export function parseJsonBody(text: string, contentType: string | null): unknown {
  if (text.trim() === '') return undefined;
  if (contentType && !/json/i.test(contentType)) {
    throw new ProblemError(
      'UnsupportedMediaType',
      `The body is "${contentType}"; send JSON with "Content-Type: application/json".`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProblemError(
      'InvalidArgument',
      `The request body is not valid JSON: ${(error as Error).message}.`,
    );
  }
}

/**
 * Server-Sent Events framing (WHATWG HTML, "Server-sent events"): text only, no I/O. Every message
 * ends with a blank line, which is what makes a client dispatch it.
 */

export interface SseMessage {
  /** `event:` (the type a client listens for); absent means `message`. */
  event?: string;
  /** `id:`, what the client sends back as `Last-Event-ID` when it reconnects. */
  id?: string;
  /** Split into one `data:` line per line. */
  data: string;
}

/**
 * A line break in `event` or `id` would end the field early and let the rest be read as fields of the
 * sender's choosing; a NUL makes clients ignore an id. Refused rather than escaped: these values
 * come from the server, so one of them holding such a character is a bug to surface.
 */
function field(name: 'event' | 'id', value: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new RangeError(
      `An SSE ${name} field cannot contain CR, LF or NUL; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

export function sseMessage(message: SseMessage): string {
  let text = '';
  if (message.event !== undefined) text += `event: ${field('event', message.event)}\n`;
  if (message.id !== undefined) text += `id: ${field('id', message.id)}\n`;
  for (const line of message.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** A comment: ignored by clients, it keeps proxies and idle timers from closing the connection. */
export function sseComment(text: string): string {
  if (/[\r\n]/.test(text)) throw new RangeError('An SSE comment cannot contain CR or LF.');
  return `: ${text}\n\n`;
}

/** How long a client waits before reconnecting after the connection drops, in ms. */
export const sseRetry = (ms: number): string => `retry: ${Math.max(0, Math.round(ms))}\n\n`;

/**
 * Where an operation's stream stands, as its event ids say: every event up to `revision` was sent,
 * or, with `part`, the events of `revision` up to index `part` (the rest of that revision is next).
 */
export interface StreamPosition {
  revision: number;
  part?: number;
}

/** `7` (all of revision 7) or `7:1` (revision 7 up to its event at index 1). */
export function eventId(position: StreamPosition): string {
  return position.part === undefined
    ? String(position.revision)
    : `${position.revision}:${position.part}`;
}

/** The position a `Last-Event-ID` names; undefined when absent or not an id this server gives. */
export function parseEventId(value: string | null | undefined): StreamPosition | undefined {
  const match = /^(0|[1-9]\d{0,14})(?::(0|[1-9]\d{0,5}))?$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const revision = Number(match[1]);
  return match[2] === undefined ? { revision } : { revision, part: Number(match[2]) };
}

import type { LongrunEvent } from '../events.js';

const time = () => new Date().toISOString().slice(11, 19);

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** One readable line per event worth a person's attention; claims only with --verbose. */
export function eventLine(event: LongrunEvent, verbose: boolean): string | undefined {
  switch (event.type) {
    case 'operation:created':
      return verbose ? `${time()} created   ${event.kind} ${event.id}` : undefined;
    case 'operation:claimed':
      return verbose
        ? `${time()} started   ${event.kind} ${event.id} (attempt ${event.attempt})`
        : undefined;
    case 'operation:finished':
      return `${time()} ${event.status.toLowerCase().padEnd(9)} ${event.kind} ${event.id} in ${(event.durationMs / 1000).toFixed(1)} s`;
    case 'operation:retry':
      return `${time()} retrying  ${event.kind} ${event.id}: ${event.message}`;
    case 'operation:released':
      return `${time()} released  ${event.kind} ${event.id} (shutdown; it will run again)`;
    case 'lease:lost':
      return `${time()} lease lost on ${event.kind} ${event.id}; its writes are ignored from now on`;
    case 'recovery:done':
      return `${time()} recovered interrupted operations: ${event.requeued} to run again, ${event.failed} failed (attempts used up), ${event.canceled} canceled`;
    case 'retention:done':
      return verbose
        ? `${time()} retention: ${event.expired} expired, ${event.purged} purged`
        : undefined;
    case 'worker:error':
      return `${time()} error: ${event.message}: ${describeError(event.error)}`;
    case 'http:error':
      return `${time()} error answering ${event.method} ${event.path}: ${describeError(event.error)}`;
  }
}

import type { OperationEvent, StepRecord } from '../store/store.js';
import { eventId, type StreamPosition, sseMessage } from './server-sent-events.js';
import { stepPercent } from './step-rollup.js';

/**
 * The data of an event as streams send it: the log's data, with each step of a `step` event given
 * its percentComplete as the representation shows it (100 once succeeded, else from its own counts).
 */
export function eventData(event: OperationEvent): Record<string, unknown> {
  if (event.type !== 'step' || !Array.isArray(event.data.steps)) return event.data;
  const steps = (event.data.steps as StepRecord[]).map((step) => {
    const percent = step.percentComplete ?? stepPercent(step);
    return percent === undefined ? step : { ...step, percentComplete: percent };
  });
  return { ...event.data, steps };
}

export interface FramedEvents {
  text: string;
  /** Where the stream stands once `text` is sent. */
  position: StreamPosition;
  /** The operation ended: the caller sends `done` (id: `position.revision`) and closes. */
  ended: boolean;
}

const endsOperation = (event: OperationEvent) =>
  event.type === 'status' && event.data.done === true;

/**
 * Frames an operation's events, read from its log after `position`, for its stream. The events of one
 * revision go out together; all but the last carry the id `<revision>:<index>` and the last carries
 * `<revision>`, so a client cut off part-way through a revision resumes with exactly the rest of it.
 * In the revision that ends the operation every event carries `<revision>:<index>`: the `done` that
 * follows carries `<revision>`. `events` must hold whole revisions (the first may be the one `position`
 * is part-way through), in log order.
 */
export function frameOperationEvents(
  events: readonly OperationEvent[],
  position: StreamPosition,
): FramedEvents {
  let text = '';
  let at = position;
  for (let start = 0; start < events.length; ) {
    const revision = events[start]!.revision;
    let end = start;
    while (end < events.length && events[end]!.revision === revision) end++;
    const group = events.slice(start, end);
    start = end;
    const skip =
      revision === position.revision && position.part !== undefined ? position.part + 1 : 0;
    if (revision < position.revision || (revision === position.revision && skip === 0)) continue;
    const ends = group.some(endsOperation);
    for (let index = skip; index < group.length; index++) {
      const event = group[index]!;
      const last = index === group.length - 1 && !ends;
      text += sseMessage({
        event: event.type,
        id: eventId(last ? { revision } : { revision, part: index }),
        data: JSON.stringify(eventData(event)),
      });
    }
    at = ends ? { revision, part: group.length - 1 } : { revision };
    if (ends) return { text, position: at, ended: true };
  }
  return { text, position: at, ended: false };
}

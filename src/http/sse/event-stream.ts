import type { HubMember, StreamHub } from './stream-hub.js';

/** Reads what is new and writes it; resolves false once the stream is over (it then closes). */
export type Pump = (stream: EventStream) => Promise<boolean>;

const encoder = new TextEncoder();

/**
 * One open `text/event-stream` body. Wake-ups are coalesced: one pump at a time, and a wake-up during
 * a pump runs one more after it, so a burst of signals costs one read. While the client is behind
 * (the body's queue is full) no pump runs: once it reads again, one pump sends everything new since
 * (or a fresh snapshot), rather than a queue growing in memory. Closing, by the server or because the
 * client went away (the adapter cancels the body), removes it from the hub and clears its timer at once.
 */
export class EventStream implements HubMember {
  readonly operationId: string | undefined;
  readonly tenant: string;
  readonly body: ReadableStream<Uint8Array>;
  readonly #pump: Pump;
  readonly #onError: (error: unknown) => void;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #leave: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #pumping = false;
  #again = false;
  #waitingForReader = false;

  constructor(options: {
    hub: StreamHub;
    operationId?: string;
    tenant: string;
    /** Written before anything else (retry, snapshot). */
    initial: string;
    pump: Pump;
    onError: (error: unknown) => void;
  }) {
    this.operationId = options.operationId;
    this.tenant = options.tenant;
    this.#pump = options.pump;
    this.#onError = options.onError;
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      pull: () => {
        if (!this.#waitingForReader) return;
        this.#waitingForReader = false;
        this.wake();
      },
      cancel: () => this.#release(),
    });
    this.write(options.initial);
    // Listening before the first read: nothing written after the initial state slips between.
    this.#leave = options.hub.add(this);
    this.wake();
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(text: string): void {
    if (!this.#closed && text !== '') this.#controller.enqueue(encoder.encode(text));
  }

  keepAlive(text: string): void {
    if (!this.#closed && (this.#controller.desiredSize ?? 0) > 0) this.write(text);
  }

  wake(): void {
    if (this.#closed) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    void this.#run();
  }

  /** Wakes once after `ms` (a read that must be repeated shortly); one timer at most. */
  wakeSoon(ms: number): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.wake();
    }, ms);
  }

  /** Ends the stream after what was written. */
  close(): void {
    if (this.#closed) return;
    this.#release();
    this.#controller.close();
  }

  async #run(): Promise<void> {
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        if ((this.#controller.desiredSize ?? 0) <= 0) {
          this.#waitingForReader = true;
          return;
        }
        if (!(await this.#pump(this))) return this.close();
      } while (this.#again && !this.#closed);
    } catch (error) {
      if (this.#closed) return;
      this.#release();
      this.#onError(error);
      // The client sees the connection cut (not a clean end), reconnects and resumes.
      this.#controller.error(error);
    } finally {
      this.#pumping = false;
    }
  }

  #release(): void {
    this.#closed = true;
    this.#leave?.();
    this.#leave = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

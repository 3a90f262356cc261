import { randomUUID } from 'node:crypto';

interface Waiter {
  pass(): void;
}

/**
 * A test's remote control for one run of the `test.held` operation: the run waits at each stage
 * until the test calls `open()`, so the test decides exactly when progress and completion happen.
 */
export class Gate {
  readonly name = `gate-${randomUUID()}`;
  /** Resolves when the operation's code starts running. */
  readonly started: Promise<void>;
  /** Resolves when the running code sees its abort signal fire. */
  readonly aborted: Promise<void>;
  #signalAborted = false;
  #credits = 0;
  readonly #waiters: Waiter[] = [];
  #markStarted!: () => void;
  #markAborted!: () => void;

  constructor() {
    this.started = new Promise((resolve) => {
      this.#markStarted = resolve;
    });
    this.aborted = new Promise((resolve) => {
      this.#markAborted = resolve;
    });
  }

  get signalAborted(): boolean {
    return this.#signalAborted;
  }

  /** Lets the run pass one stage (now, or when it gets there). */
  open(times = 1): void {
    for (let i = 0; i < times; i++) {
      const waiter = this.#waiters.shift();
      if (waiter) waiter.pass();
      else this.#credits++;
    }
  }

  /** Called by the operation when it starts. */
  enter(signal: AbortSignal): void {
    const onAbort = () => {
      this.#signalAborted = true;
      this.#markAborted();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    this.#markStarted();
  }

  /** Called by the operation at each stage: resolves on `open()`, rejects when `signal` aborts. */
  pass(signal: AbortSignal): Promise<void> {
    if (this.#credits > 0) {
      this.#credits--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pass: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(signal.reason);
      };
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }
}

/** The gates of one test file, by name: operations find theirs from their input. */
export class Gates {
  readonly #byName = new Map<string, Gate>();

  create(): Gate {
    const gate = new Gate();
    this.#byName.set(gate.name, gate);
    return gate;
  }

  get(name: string): Gate | undefined {
    return this.#byName.get(name);
  }
}

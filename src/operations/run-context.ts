import { AsyncLocalStorage } from 'node:async_hooks';
import type { ProgressRecord, StepRecord } from '../store/store.js';
import { errorBodyOf } from './errors.js';
import type { RunAbort } from './run-abort.js';
import { checkpoint, countSteps, openStep } from './step-tree.js';

export interface ProgressReport {
  completed: number;
  total?: number;
  unit?: string;
  message?: string;
}

export interface StepOptions {
  /** Share of the parent's progress, relative to its siblings (default 1). */
  weight?: number;
  /**
   * A clean-up step (undoing earlier work) runs even after the signal was aborted, so a canceled or
   * failed operation can show its compensation. Its code must not wait on `ctx.signal`.
   */
  cleanup?: boolean;
}

/** What `run(input, ctx)` gets. */
export interface RunContext {
  readonly operationId: string;
  /** 1 on the first run, 2 after one interruption or retryable failure, ... */
  readonly attempt: number;
  /** Aborted on cancel, on lease loss and on shutdown. Pass it to everything that can wait. */
  readonly signal: AbortSignal;
  /**
   * Runs `fn` as a step: Running while it runs, then Succeeded, or Failed with the error it threw, or
   * Canceled. Steps nest: a step started inside another becomes its child.
   */
  step<T>(title: string, fn: () => Promise<T> | T, options?: StepOptions): Promise<T>;
  /** Reports counts (and a message) for the innermost running step, or the operation outside steps. */
  progress(report: ProgressReport): void;
  /** The latest line of news, shown on the operation (and on the current step). */
  message(text: string): void;
  /** Throws the abort reason when the signal is aborted: a cheap cancellation point for loops. */
  throwIfAborted(): void;
}

/**
 * The step that encloses the running code, so `ctx.step()` inside a step makes a child. One storage for
 * the process: each AsyncLocalStorage instance stays registered (and taxes every promise) until disabled.
 */
const enclosingStep = new AsyncLocalStorage<{ context: OperationRunContext; step: StepRecord }>();

/** Mutable state of one run, shared by its context and the worker that persists it. */
export interface RunState {
  steps: StepRecord[];
  message: string | undefined;
  progress: ProgressRecord | undefined;
}

export class OperationRunContext implements RunContext {
  readonly operationId: string;
  readonly attempt: number;
  readonly #abort: RunAbort;
  readonly #state: RunState;
  readonly #changed: () => void;
  /** Steps this attempt has entered, so a repeated title takes the next step of that name. */
  readonly #used = new WeakSet<StepRecord>();

  constructor(options: {
    operationId: string;
    attempt: number;
    abort: RunAbort;
    state: RunState;
    changed: () => void;
  }) {
    this.operationId = options.operationId;
    this.attempt = options.attempt;
    this.#abort = options.abort;
    this.#state = options.state;
    this.#changed = options.changed;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  async step<T>(title: string, fn: () => Promise<T> | T, options: StepOptions = {}) {
    if (!options.cleanup) this.throwIfAborted();
    const parent = this.#currentStep();
    if (parent && !parent.steps) parent.steps = [];
    const siblings = parent ? parent.steps! : this.#state.steps;
    const { step, replayed } = openStep(
      siblings,
      parent,
      title,
      countSteps(this.#state.steps),
      this.#used,
    );
    // Done in an earlier attempt (before a crash): only unfinished work repeats.
    if (replayed) return step.value as T;
    if (options.weight !== undefined) step.weight = options.weight;
    step.status = 'Running';
    step.startTime = Date.now();
    this.#changed();
    try {
      const value = await enclosingStep.run({ context: this, step }, fn);
      step.status = 'Succeeded';
      checkpoint(step, value);
      return value;
    } catch (error) {
      const aborted = this.#abort.aborted && !options.cleanup;
      step.status = aborted ? 'Canceled' : 'Failed';
      if (!aborted) step.error = errorBodyOf(error);
      throw error;
    } finally {
      step.endTime = Date.now();
      this.#changed();
    }
  }

  progress(report: ProgressReport): void {
    const progress: ProgressRecord = { completed: report.completed };
    if (report.total !== undefined) progress.total = report.total;
    if (report.unit !== undefined) progress.unit = report.unit;
    const step = this.#currentStep();
    if (step) step.progress = progress;
    else this.#state.progress = progress;
    if (report.message !== undefined) this.#setMessage(report.message, step);
    this.#changed();
  }

  message(text: string): void {
    this.#setMessage(text, this.#currentStep());
    this.#changed();
  }

  throwIfAborted(): void {
    if (this.#abort.aborted) throw this.#abort.reason;
  }

  /** The enclosing step of this run; another run's steps (a nested run in the same task) do not count. */
  #currentStep(): StepRecord | undefined {
    const enclosing = enclosingStep.getStore();
    return enclosing?.context === this ? enclosing.step : undefined;
  }

  #setMessage(text: string, step: StepRecord | undefined): void {
    this.#state.message = text;
    if (step) step.message = text;
  }
}

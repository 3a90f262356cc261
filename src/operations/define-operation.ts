import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { RunContext } from './run-context.js';
import type { StepPlan } from './step-tree.js';

export type { StepPlan } from './step-tree.js';

/** Returned by `run()` when the operation created or updated a resource that lives at its own URL. */
export interface ResourceOutcome {
  readonly __longrunResource: true;
  /** App-relative path (e.g. `/reports/42`) or absolute URL. */
  readonly location: string;
  /** The resource's representation, served by the result monitor. */
  readonly body: unknown;
  readonly created: boolean;
}

/** Marks `run()`'s return value as a resource at `location` instead of an inline result. */
export function resource(
  location: string,
  body?: unknown,
  options: { created?: boolean } = {},
): ResourceOutcome {
  return { __longrunResource: true, location, body, created: options.created ?? true };
}

export function isResourceOutcome(value: unknown): value is ResourceOutcome {
  return typeof value === 'object' && value !== null && '__longrunResource' in value;
}

export interface OperationDefinition<Input = unknown, Output = unknown> {
  /** Stable type name, e.g. `report.generate`. */
  readonly kind: string;
  /** Any Standard Schema validator (zod, valibot, arktype...). Invalid input is refused before storing. */
  readonly input: StandardSchemaV1<unknown, Input>;
  readonly title?: (input: Input) => string;
  readonly steps?: readonly StepPlan[] | ((input: Input) => readonly StepPlan[]);
  /** Attempts before an interrupted or failing run ends as Failed. Default 3. */
  readonly maxAttempts?: number;
  readonly run: (input: Input, ctx: RunContext) => Promise<Output | ResourceOutcome>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every input and output type.
export type AnyOperation = OperationDefinition<any, any>;

export function defineOperation<Input, Output>(
  definition: OperationDefinition<Input, Output>,
): OperationDefinition<Input, Output> {
  if (!/^[a-zA-Z][\w.-]*$/.test(definition.kind)) {
    throw new TypeError(
      `Operation kind "${definition.kind}" is not valid: use letters, digits, ".", "-" or "_", starting with a letter.`,
    );
  }
  if (definition.maxAttempts !== undefined && !(definition.maxAttempts >= 1)) {
    throw new TypeError(`maxAttempts of "${definition.kind}" must be at least 1.`);
  }
  return Object.freeze({ ...definition });
}

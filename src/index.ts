export type { LongrunEvent, LongrunEventListener } from './events.js';
export type {
  AppRoute,
  InputSource,
  ResourceRoute,
  ResourceRouteContext,
  StartRoute,
} from './http/app-routes.js';
export { type Authenticator, anonymous, apiKeyAuthenticator, type Caller } from './http/auth.js';
export type { FetchHandler } from './http/respond.js';
export { createLongrun, type Longrun, type LongrunOptions } from './longrun.js';
export {
  type AnyOperation,
  defineOperation,
  type OperationDefinition,
  type ResourceOutcome,
  resource,
  type StepPlan,
} from './operations/define-operation.js';
export { PermanentFailure } from './operations/errors.js';
export type { ProgressReport, RunContext, StepOptions } from './operations/run-context.js';
export type { OperationStatus, StepStatus } from './protocol/operation-state.js';
export { type ErrorBody, ProblemError } from './protocol/problem.js';
export type { OperationRecord, Store, StoreCapabilities } from './store/store.js';

// longrun/client: a browser-safe client for long-running HTTP operations (fetch, AbortSignal, URL,
// TextDecoder and setTimeout only). Everything public is named here; the dialect readers, the
// Retry-After parser and the transports are internal on purpose.
export { type ClientOptions, createClient, type LongrunClient } from './client.js';
export {
  HttpError,
  isLongrunClientError,
  LongrunClientError,
  NetworkError,
  OperationCanceledError,
  OperationFailedError,
  ProtocolError,
  TimeoutError,
} from './errors.js';
export type { ListOptions } from './list-operations.js';
export {
  OperationHandle,
  type SignalOptions,
  type SnapshotListener,
  type WaitOptions,
} from './operation-handle.js';
export type { FetchFunction } from './requester.js';
export type {
  Dialect,
  OperationError,
  OperationProgress,
  OperationSnapshot,
  OperationStatus,
  StepSnapshot,
} from './snapshot.js';
export type { OperationObserver } from './snapshot-hub.js';
export type { StartRequest, StartRequestInit } from './start-request.js';
export type { MonitorMode, OperationHandleJSON, TransportName } from './watch-context.js';

import type { OperationHandle, OperationSnapshot } from '../../../src/client/index.js';

/** Collects the snapshots of a handle while waiting for its result. */
export async function watchAndWait(handle: OperationHandle) {
  const seen: OperationSnapshot[] = [];
  handle.subscribe((snapshot) => seen.push(snapshot));
  const result = await handle.wait().catch((error: unknown) => ({ error }));
  return { seen, result, statuses: seen.map((s) => s.status) };
}

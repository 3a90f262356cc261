import { describe } from 'node:test';
import { describeWebhookStore } from '../webhooks/store-conformance.js';
import { describeCancelDeleteExpire } from './conformance/cancel-delete-expire.js';
import { describeClaimAndRenew } from './conformance/claim-renew.js';
import { describeCreateAndGet } from './conformance/create-get.js';
import { describeDurations } from './conformance/durations.js';
import { describeEvents } from './conformance/events.js';
import { freshStorePerTest, type OpenStore } from './conformance/harness.js';
import { describeLeaseWrites } from './conformance/lease-writes.js';
import { describeList } from './conformance/list.js';
import { describeRecoveryAndSignals } from './conformance/recovery-signals.js';

export type { OpenedStore, OpenStore } from './conformance/harness.js';

/**
 * The behaviour every Store must show, asserted as a user of the store observes it. `open` gives a
 * fresh, migrated, empty store for each test; `cleanup` closes it and removes what it made.
 * Engine differences are gated on `store.capabilities` (never on `name`), each with its reason.
 */
export function describeStoreConformance(name: string, open: OpenStore): void {
  describe(`Store conformance: ${name}`, () => {
    const current = freshStorePerTest(open);
    describeCreateAndGet(current);
    describeList(current);
    describeClaimAndRenew(current);
    describeLeaseWrites(current);
    describeCancelDeleteExpire(current);
    describeRecoveryAndSignals(current);
    describeDurations(current);
    describeEvents(current);
    describeWebhookStore(current);
  });
}

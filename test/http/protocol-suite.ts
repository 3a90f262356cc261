import { after, before, describe } from 'node:test';
import type { Mount } from '../helpers/servers.js';
import { describeCancelAndDelete } from './suite/cancel-and-delete.js';
import { describeConditionalAndLongPoll } from './suite/conditional-and-long-poll.js';
import { SuiteEnvironment } from './suite/environment.js';
import { describeErrorsAndUrls } from './suite/errors-and-urls.js';
import { describeIdempotencyAndTenants } from './suite/idempotency-and-tenants.js';
import { describeRepresentation } from './suite/representation.js';
import { describeResultMonitor } from './suite/result-monitor.js';
import { describeRetentionAndList } from './suite/retention-and-list.js';
import { describeStarting } from './suite/starting.js';

export type { Mount, MountedServer } from '../helpers/servers.js';

/**
 * The HTTP protocol suite (PROTOCOL.md sections 2 to 6 and 8), run over real HTTP on loopback against
 * real SQLite files, for one way of mounting the longrun handler. `mount(handler, basePath)` must serve
 * the handler under `basePath` and resolve with the absolute URL of that mount root.
 */
export function describeProtocol(mountName: string, mount: Mount): void {
  describe(`longrun protocol over ${mountName}`, () => {
    const env = new SuiteEnvironment(mountName, mount);
    before(() => env.setUp());
    after(() => env.tearDown());

    describeStarting(env);
    describeRepresentation(env);
    describeConditionalAndLongPoll(env);
    describeResultMonitor(env);
    describeCancelAndDelete(env);
    describeRetentionAndList(env);
    describeIdempotencyAndTenants(env);
    describeErrorsAndUrls(env);
  });
}

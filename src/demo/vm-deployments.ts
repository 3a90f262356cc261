import { z } from 'zod';
import { defineOperation } from '../operations/define-operation.js';
import { PermanentFailure } from '../operations/errors.js';
import type { DemoClock } from './demo-clock.js';

const STEPS = ['Reserving capacity', 'Creating disk', 'Booting', 'Configuring network'] as const;

/**
 * `POST /vm-deployments {"image": "...", "failAt": "<step>"}`: four steps, any of which fails on request.
 * When the deployment fails or is canceled, the steps already done are undone in reverse order.
 */
export function vmDeploymentOperation(clock: DemoClock) {
  return defineOperation({
    kind: 'vm.deploy',
    input: z.object({
      image: z.string().trim().min(1).max(200),
      failAt: z.enum(STEPS).optional(),
      stepMs: z.number().int().min(0).max(60_000).default(700),
    }),
    title: (input) => `Deploy a VM from ${input.image}`,
    steps: STEPS,
    // A failed deployment is undone, not retried: a retry would surprise whoever asked for it.
    maxAttempts: 1,
    async run(input, ctx) {
      const done: string[] = [];
      try {
        for (const title of STEPS) {
          await ctx.step(title, async () => {
            await clock.pause(input.stepMs, ctx.signal);
            if (input.failAt === title) {
              throw new PermanentFailure(
                'DeploymentFailed',
                `Step "${title}" failed for image "${input.image}" (it was asked to, with failAt).`,
                { target: 'failAt', httpStatus: 422 },
              );
            }
          });
          done.push(title);
        }
      } catch (error) {
        for (const title of done.reverse()) {
          await ctx.step(`Undoing: ${title}`, () => clock.pause(input.stepMs / 2), {
            cleanup: true,
          });
        }
        throw error;
      }
      const name = `vm-${ctx.operationId.slice(-8).toLowerCase()}`;
      return { name, image: input.image, ipAddress: '10.0.0.4', state: 'running' };
    },
  });
}

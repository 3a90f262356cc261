import { z } from 'zod';
import { defineOperation, resource } from '../operations/define-operation.js';
import type { DemoClock } from './demo-clock.js';

/** `POST /reports {"items": 75, "itemMs": 40}`: n of 75 items with a message; a report at /reports/{id}. */
export function reportOperation(clock: DemoClock) {
  return defineOperation({
    kind: 'report.generate',
    input: z.object({
      items: z.number().int().min(1).max(100_000).default(75),
      itemMs: z.number().int().min(0).max(60_000).default(40),
    }),
    title: (input) => `Report over ${input.items} items`,
    async run(input, ctx) {
      let total = 0;
      for (let item = 1; item <= input.items; item++) {
        await clock.pause(input.itemMs, ctx.signal);
        total += item % 7;
        ctx.progress({
          completed: item,
          total: input.items,
          unit: 'items',
          message: `Processed item ${item} of ${input.items}`,
        });
      }
      const id = ctx.operationId;
      return resource(`/reports/${id}`, {
        id,
        items: input.items,
        checksum: total,
        generatedAt: new Date().toISOString(),
      });
    },
  });
}

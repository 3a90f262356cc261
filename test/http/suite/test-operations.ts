import { z } from 'zod';
import {
  type AppRoute,
  defineOperation,
  PermanentFailure,
  type ResourceRoute,
  resource,
} from '../../../src/index.js';
import type { Gates } from './gates.js';

/**
 * Operations that exist only for the protocol suite, beside the demo's:
 * - `POST /held {gate, stages, throws?}`: waits at each stage for its Gate, reports `stage of stages`
 *   after each, and ends with no result (so its result monitor answers the final representation), or
 *   throws an unexpected Error with the message `throws` (a real fault, not a deterministic failure);
 * - `PUT /things/:id` creates a thing served at `GET /things/:id`; `DELETE /things/:id` removes one
 *   (a delete has no result: its result monitor answers 204); `POST /things/:id/paint?color=`
 *   puts one too, its input built by the route from the path and the query.
 */
export function testRoutes(gates: Gates): AppRoute[] {
  const held = defineOperation({
    kind: 'test.held',
    input: z.object({
      gate: z.string().min(1),
      stages: z.number().int().min(1).max(10).default(1),
      throws: z.string().optional(),
    }),
    title: (input) => `Held in ${input.stages} stage(s)`,
    maxAttempts: 1,
    async run(input, ctx) {
      const gate = gates.get(input.gate);
      if (!gate) throw new PermanentFailure('UnknownGate', `No gate named ${input.gate}.`);
      gate.enter(ctx.signal);
      for (let stage = 1; stage <= input.stages; stage++) {
        await gate.pass(ctx.signal);
        ctx.progress({
          completed: stage,
          total: input.stages,
          message: `Passed stage ${stage} of ${input.stages}`,
        });
      }
      if (input.throws !== undefined) throw new Error(input.throws);
      return undefined;
    },
  });
  const putThing = defineOperation({
    kind: 'thing.put',
    input: z.object({ id: z.string().min(1), color: z.string().default('blue') }),
    async run(input) {
      return resource(`/things/${input.id}`, { id: input.id, color: input.color });
    },
  });
  const deleteThing = defineOperation({
    kind: 'thing.delete',
    input: z.object({ id: z.string().min(1) }),
    async run() {
      return undefined;
    },
  });
  const getThing: ResourceRoute = {
    method: 'GET',
    path: '/things/:id',
    async handle({ params, tenant, store }) {
      const creator = await store.findByResourceLocation(tenant, `/things/${params.id}`);
      if (!creator) return new Response(null, { status: 404 });
      return Response.json(creator.result);
    },
  };
  return [
    { method: 'POST', path: '/held', operation: held },
    { method: 'PUT', path: '/things/:id', operation: putThing },
    // The route's own input function: the colour comes from the query string, not the body.
    {
      method: 'POST',
      path: '/things/:id/paint',
      operation: putThing,
      input: ({ params, query }) => ({ id: params.id, color: query.get('color') ?? undefined }),
    },
    { method: 'DELETE', path: '/things/:id', operation: deleteThing },
    getThing,
  ];
}

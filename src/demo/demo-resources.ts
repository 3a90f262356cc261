import type { ResourceRoute } from '../http/app-routes.js';
import { json, problem } from '../http/respond.js';

/**
 * `GET <prefix>/:id` serving a resource the demo created: its representation is the result of the
 * operation that created it, found by location. A real app would read its own database here.
 */
export function createdResourceRoute(prefix: string, noun: string): ResourceRoute {
  return {
    method: 'GET',
    path: `${prefix}/:id`,
    async handle({ params, tenant, store, request }) {
      const location = `${prefix}/${encodeURIComponent(params.id!)}`;
      const creator = await store.findByResourceLocation(tenant, location);
      if (!creator) {
        return problem(
          404,
          { code: 'NotFound', message: `There is no ${noun} "${params.id}".`, status: 'NOT_FOUND' },
          { accept: request.headers.get('accept') },
        );
      }
      return json(creator.result, 200, { 'cache-control': 'private, no-cache' });
    },
  };
}

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FetchHandler } from '../http/respond.js';
import { dispatchToFetchHandler, normalizePublicOrigin } from './node-dispatch.js';

export interface LongrunFastifyOptions {
  handler: FetchHandler;
  /** Fastify's own register option: routes land under it. Give the core the same `basePath`. */
  prefix?: string;
  /** `scheme://host[:port]` the core sees in `request.url`; default: `http(s)://` + the Host header. */
  publicOrigin?: string;
}

/**
 * Fastify 5 plugin: `app.register(longrunFastify, { handler, prefix: '/v1' })`. Every method and
 * path under the prefix goes to the core, which sees the full original URL. Errors the core throws
 * go to Fastify's error handler; once the core answers, the reply is hijacked and written (and
 * streamed) by the node writer, so Fastify serializers and onSend hooks do not touch it.
 */
export const longrunFastify: FastifyPluginAsync<LongrunFastifyOptions> = async (
  fastify,
  options,
) => {
  const publicOrigin = normalizePublicOrigin(options.publicOrigin);

  // Scoped to this plugin (it is not wrapped in fastify-plugin): the core reads and limits the raw
  // body itself, so Fastify must leave the stream unread, whatever the content type.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));

  const route = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await dispatchToFetchHandler(options.handler, request.raw, reply.raw, {
      publicOrigin,
      beforeWrite: () => reply.hijack(),
    });
  };
  // '/' catches the prefix itself (`/v1`, `/v1/`), '/*' everything below it.
  fastify.all('/', route);
  fastify.all('/*', route);
};

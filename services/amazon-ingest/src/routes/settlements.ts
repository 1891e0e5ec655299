/**
 * Admin routes of amazon-ingest for operators (through `mlc settlement import`):
 *   POST /admin/settlements/import  — a downloaded flat file (plain or GZIP) through the same path
 *                                     as a report from the SP-API, e.g. one older than Amazon's 90 days.
 */
import type { FastifyInstance } from 'fastify';
import { type IngestDeps, ingestSettlementDocument } from '../ingest.js';

/** Settlement files can be large; the import takes up to this many bytes. */
const IMPORT_BODY_LIMIT = 1024 * 1024 * 1024;

export function settlementRoutes(deps: IngestDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser(
      ['application/octet-stream', 'application/gzip', 'text/tab-separated-values', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    app.post<{ Querystring: { connectionId: string; region?: 'NA' | 'EU' | 'FE'; fileName: string } }>(
      '/admin/settlements/import',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          querystring: {
            type: 'object',
            required: ['connectionId', 'fileName'],
            properties: {
              connectionId: { type: 'string', minLength: 1 },
              region: { type: 'string', enum: ['NA', 'EU', 'FE'], default: 'NA' },
              fileName: { type: 'string', minLength: 1 },
            },
          },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          return reply.code(400).send({ error: `${request.query.fileName}: the file is empty` });
        }
        const outcome = await ingestSettlementDocument(
          {
            connectionId: request.query.connectionId,
            region: request.query.region ?? 'NA',
            reportId: null,
            bytes: body,
            fileName: request.query.fileName,
          },
          { ...deps, actor: 'operator:import' },
        );
        return reply.code(outcome.kind === 'held' ? 422 : 200).send(outcome);
      },
    );
  };
}

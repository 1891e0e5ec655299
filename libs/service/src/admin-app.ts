/**
 * The admin HTTP surface every service exposes on its admin port: liveness, readiness and
 * Prometheus metrics. A service adds its own admin routes as fastify plugins on the same instance.
 */

import type { Logger } from '@mlc/observability';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean> | boolean;
}

export interface AdminAppOptions {
  service: string;
  registry: Registry;
  logger: Logger;
  /** Checks that must all pass for /readyz to answer 200. */
  readiness: ReadinessCheck[];
  /** Set to false when shutting down so the pod is taken out of load balancing first. */
  accepting: () => boolean;
}

export function buildAdminApp(options: AdminAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'admin' }) as FastifyBaseLogger,
    disableRequestLogging: true,
  });

  app.get('/healthz', { schema: { response: { 200: statusSchema } } }, async () => ({
    status: 'ok',
    service: options.service,
  }));

  app.get(
    '/readyz',
    { schema: { response: { 200: readySchema, 503: readySchema } } },
    async (_req, reply) => {
      const checks: Record<string, boolean> = {};
      for (const { name, check } of options.readiness) {
        try {
          checks[name] = await check();
        } catch {
          checks[name] = false;
        }
      }
      const ready = options.accepting() && Object.values(checks).every(Boolean);
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not-ready', service: options.service, checks });
    },
  );

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', options.registry.contentType);
    return options.registry.metrics();
  });

  return app;
}

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string' }, service: { type: 'string' } },
  required: ['status', 'service'],
} as const;

const readySchema = {
  type: 'object',
  properties: {
    status: { type: 'string' },
    service: { type: 'string' },
    checks: { type: 'object', additionalProperties: { type: 'boolean' } },
  },
  required: ['status', 'service'],
} as const;

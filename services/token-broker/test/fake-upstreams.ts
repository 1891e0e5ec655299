/**
 * In-process stand-ins for Login with Amazon and the AIS tokenrequest endpoints (fastify, port 0),
 * for the integration tests. They accept only the credentials they were given, count every
 * exchange and login, and hand out fresh tokens each time.
 */
import Fastify, { type FastifyInstance } from 'fastify';

export interface FakeUpstreams {
  lwaUrl: string;
  aisUrl: string;
  lwaCalls: number;
  aisLogins: number;
  aisLogouts: number;
  issued: string[];
  close(): Promise<void>;
}

export async function startFakeUpstreams(expected: {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  username: string;
  password: string;
}): Promise<FakeUpstreams> {
  const app: FastifyInstance = Fastify({ forceCloseConnections: true });
  const state: FakeUpstreams = {
    lwaUrl: '',
    aisUrl: '',
    lwaCalls: 0,
    aisLogins: 0,
    aisLogouts: 0,
    issued: [],
    close: () => app.close(),
  };
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.post('/auth/o2/token', async (req, reply) => {
    state.lwaCalls++;
    const form = req.body as Record<string, string>;
    if (form.client_id !== expected.clientId || form.client_secret !== expected.clientSecret) {
      return reply
        .code(401)
        .send({ error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    if (form.grant_type !== 'refresh_token' || form.refresh_token !== expected.refreshToken) {
      return reply.code(400).send({
        error: 'invalid_grant',
        error_description: 'The request has an invalid grant parameter : refresh_token',
      });
    }
    const token = `Atza|fake-access-token-${state.lwaCalls}-${Math.random().toString(36).slice(2)}`;
    state.issued.push(token);
    return { access_token: token, token_type: 'bearer', expires_in: 3600 };
  });
  app.post('/jderest/v2/tokenrequest', async (req, reply) => {
    const body = req.body as Record<string, string>;
    if (body.username !== expected.username || body.password !== expected.password) {
      return reply.code(403).send({ message: 'Authorization Failure', status: 'ERROR' });
    }
    state.aisLogins++;
    const token = `044fake-ais-token-${state.aisLogins}-${Math.random().toString(36).slice(2)}`;
    state.issued.push(token);
    return { username: body.username, environment: body.environment, userInfo: { token } };
  });
  app.post('/jderest/v2/tokenrequest/logout', async () => {
    state.aisLogouts++;
    return {};
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  state.lwaUrl = `${base}/auth/o2/token`;
  state.aisUrl = base;
  return state;
}

/**
 * The HTTP clients for LWA and AIS against in-process fakes (fastify on port 0): the request they
 * send, and how answers sort into success, refused (PERMISSION_DENIED) and unavailable (UNAVAILABLE).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JdeCredentials } from '@mlc/credentials';
import Fastify, { type FastifyInstance } from 'fastify';
import { httpAisAuthenticator } from '../src/ais.js';
import { UpstreamRefusedError, UpstreamUnavailableError } from '../src/errors.js';
import { httpLwaExchanger } from '../src/lwa.js';

let app: FastifyInstance;
let base = '';
const seen: Array<{ url: string; body: unknown; headers: Record<string, unknown> }> = [];

before(async () => {
  app = Fastify({ forceCloseConnections: true });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.post('/lwa/:mode', async (req, reply) => {
    seen.push({ url: req.url, body: req.body, headers: req.headers });
    const mode = (req.params as { mode: string }).mode;
    if (mode === 'ok') return { access_token: 'Atza|fresh', token_type: 'bearer', expires_in: 3600 };
    if (mode === 'grant')
      return reply.code(400).send({ error: 'invalid_grant', error_description: 'bad grant' });
    if (mode === 'slow') return new Promise((resolve) => setTimeout(() => resolve({}), 2_000));
    return reply.code(503).send('busy');
  });
  app.post('/ais/:mode/jderest/v2/tokenrequest', async (req, reply) => {
    seen.push({ url: req.url, body: req.body, headers: req.headers });
    const mode = (req.params as { mode: string }).mode;
    if (mode === 'ok') return { userInfo: { token: 'ais-session-token' } };
    if (mode === 'forbidden') return reply.code(403).send({ message: 'Authorization Failure' });
    if (mode === 'notoken') return { userInfo: {} };
    return reply.code(500).send({ message: 'down' });
  });
  app.post('/ais/:mode/jderest/v2/tokenrequest/logout', async (req, reply) => {
    seen.push({ url: req.url, body: req.body, headers: req.headers });
    return reply.code((req.params as { mode: string }).mode === 'gone' ? 444 : 200).send({});
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
after(() => app.close());

const lwa = httpLwaExchanger({ timeoutMs: 500 });
const request = (endpoint: string) => ({
  connectionId: 'c1',
  clientId: 'client-id',
  clientSecret: 'client-secret',
  refreshToken: 'Atzr|refresh',
  endpoint,
});

describe('httpLwaExchanger', () => {
  it('posts the refresh_token grant form and returns the token', async () => {
    const result = await lwa.exchange(request(`${base}/lwa/ok`));
    assert.deepEqual(result, { accessToken: 'Atza|fresh', expiresInS: 3600 });
    assert.deepEqual(seen.at(-1)?.body, {
      grant_type: 'refresh_token',
      refresh_token: 'Atzr|refresh',
      client_id: 'client-id',
      client_secret: 'client-secret',
    });
  });
  it('invalid_grant is a refusal; 5xx, timeouts and closed ports are unavailability', async () => {
    await assert.rejects(lwa.exchange(request(`${base}/lwa/grant`)), (e: Error) => {
      assert.ok(e instanceof UpstreamRefusedError);
      assert.match(e.message, /connection "c1".*HTTP 400 invalid_grant/);
      assert.ok(!e.message.includes('Atzr|refresh'));
      return true;
    });
    await assert.rejects(lwa.exchange(request(`${base}/lwa/busy`)), UpstreamUnavailableError);
    await assert.rejects(lwa.exchange(request(`${base}/lwa/slow`)), UpstreamUnavailableError);
    await assert.rejects(lwa.exchange(request('http://127.0.0.1:1/lwa')), UpstreamUnavailableError);
  });
});

describe('httpAisAuthenticator', () => {
  const ais = httpAisAuthenticator({ timeoutMs: 500 });
  const jde = (mode: string, allowInsecureHttp = true): JdeCredentials => ({
    aisBaseUrl: `${base}/ais/${mode}`,
    username: 'JDE',
    password: 'jde-password',
    environment: 'JDV920',
    role: '*ALL',
    deviceName: 'mlc-dev',
    allowInsecureHttp,
  });
  it('logs in with the documented body and returns userInfo.token', async () => {
    assert.deepEqual(await ais.login('c1', jde('ok')), { token: 'ais-session-token' });
    assert.deepEqual(seen.at(-1)?.body, {
      username: 'JDE',
      password: 'jde-password',
      deviceName: 'mlc-dev',
      environment: 'JDV920',
      role: '*ALL',
    });
  });
  it('403 is a refusal; 500, no token and unreachable are unavailability', async () => {
    await assert.rejects(ais.login('c1', jde('forbidden')), UpstreamRefusedError);
    await assert.rejects(ais.login('c1', jde('broken')), UpstreamUnavailableError);
    await assert.rejects(ais.login('c1', jde('notoken')), UpstreamUnavailableError);
    await assert.rejects(
      ais.login('c1', { ...jde('ok'), aisBaseUrl: 'http://127.0.0.1:1' }),
      UpstreamUnavailableError,
    );
  });
  it('refuses plain http unless allowed', async () => {
    await assert.rejects(
      ais.login('c1', jde('ok', false)),
      (e: Error) => e instanceof UpstreamRefusedError && /https/.test(e.message),
    );
  });
  it('logs out with the token headers; 444 (already gone) is fine', async () => {
    await ais.logout('c1', jde('ok'), 'ais-session-token');
    assert.equal(seen.at(-1)?.headers['jde-ais-auth'], 'ais-session-token');
    assert.equal(seen.at(-1)?.headers['jde-ais-auth-device'], 'mlc-dev');
    assert.deepEqual(seen.at(-1)?.body, { token: 'ais-session-token' });
    await ais.logout('c1', jde('gone'), 'ais-session-token');
  });
});

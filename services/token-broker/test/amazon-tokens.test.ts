/** The Amazon token cache: single-flight at expiry, refresh margin, reports of invalid tokens. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionNotFoundError } from '@mlc/credentials';
import { AmazonTokens } from '../src/amazon-tokens.js';
import { MissingCredentialsError, UpstreamUnavailableError } from '../src/errors.js';
import { CountingExchanger, manualClock, secretsFor } from './fakes.js';

function setup(options: { expiresInS?: number; marginS?: number } = {}) {
  const clock = manualClock();
  const exchanger = new CountingExchanger(options.expiresInS ?? 3600);
  const loads: string[] = [];
  const tokens = new AmazonTokens({
    credentials: async (id) => {
      loads.push(id);
      if (id === 'missing') throw new ConnectionNotFoundError(id);
      return secretsFor(id);
    },
    exchanger,
    marginMs: (options.marginS ?? 300) * 1000,
    now: clock.now,
  });
  return { clock, exchanger, tokens, loads };
}

describe('AmazonTokens', () => {
  it('100 concurrent callers at expiry cause exactly one LWA exchange', async () => {
    const { clock, exchanger, tokens } = setup();
    const first = await tokens.get('c1', 'NA');
    assert.equal(exchanger.calls, 1);
    clock.advance(3600 * 1000); // expired
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.get('c1', 'NA')));
    assert.equal(exchanger.calls, 2);
    assert.ok(results.every((r) => r.accessToken === 'at-2'));
    assert.notEqual(first.accessToken, 'at-2');
  });

  it('is one flight per (connection, region): other keys exchange independently', async () => {
    const { exchanger, tokens } = setup();
    await Promise.all([
      ...Array.from({ length: 10 }, () => tokens.get('c1', 'NA')),
      ...Array.from({ length: 10 }, () => tokens.get('c1', 'EU')),
      ...Array.from({ length: 10 }, () => tokens.get('c2', 'NA')),
    ]);
    assert.equal(exchanger.calls, 3);
    assert.deepEqual(exchanger.requests.map((r) => r.refreshToken).sort(), ['Atzr|c1', 'Atzr|c1', 'Atzr|c2']);
  });

  it('serves from the cache until the margin before expiry, then refreshes', async () => {
    const { clock, exchanger, tokens } = setup({ marginS: 300 });
    const first = await tokens.get('c1', 'NA');
    assert.equal(first.expiresAtMs, clock.now() + 3600_000);
    clock.advance((3600 - 300) * 1000 - 1);
    assert.equal((await tokens.get('c1', 'NA')).accessToken, 'at-1');
    assert.equal(exchanger.calls, 1);
    clock.advance(1);
    assert.equal((await tokens.get('c1', 'NA')).accessToken, 'at-2', 'refreshed at expiry - margin');
    assert.equal(exchanger.calls, 2);
  });

  it('caps the margin at half a short-lived token’s life', async () => {
    const { clock, exchanger, tokens } = setup({ expiresInS: 60, marginS: 300 });
    await tokens.get('c1', 'NA');
    clock.advance(29_000);
    await tokens.get('c1', 'NA');
    assert.equal(exchanger.calls, 1);
    clock.advance(1_000);
    await tokens.get('c1', 'NA');
    assert.equal(exchanger.calls, 2);
  });

  it('a burst of reports for one token refreshes once; reports of a replaced token do nothing', async () => {
    const { exchanger, tokens } = setup();
    const { accessToken } = await tokens.get('c1', 'NA');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => tokens.reportInvalid('c1', 'NA', accessToken)),
    );
    assert.equal(answers.filter(Boolean).length, 1);
    assert.equal(exchanger.calls, 2);
    assert.equal((await tokens.get('c1', 'NA')).accessToken, 'at-2');
    assert.equal(await tokens.reportInvalid('c1', 'NA', accessToken), false);
    assert.equal(await tokens.reportInvalid('c1', 'NA', 'never-issued'), false);
    assert.equal(exchanger.calls, 2);
  });

  it('a failed exchange reaches every waiting caller, and the next call tries again', async () => {
    const { exchanger, tokens } = setup();
    exchanger.failNext = new UpstreamUnavailableError('LWA down');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => tokens.get('c1', 'NA')));
    assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof UpstreamUnavailableError));
    assert.equal(exchanger.calls, 1);
    assert.equal((await tokens.get('c1', 'NA')).accessToken, 'at-2');
  });

  it('forget() drops tokens, and an exchange in flight for old credentials is not cached', async () => {
    const { exchanger, tokens } = setup();
    const inFlight = tokens.get('c1', 'NA');
    tokens.forget('c1');
    await inFlight;
    assert.equal((await tokens.get('c1', 'NA')).accessToken, 'at-2');
    tokens.forget('c1');
    assert.equal((await tokens.get('c1', 'NA')).accessToken, 'at-3');
    assert.equal(exchanger.calls, 3);
  });

  it('refuses a region the connection is not set up for, and an unknown connection', async () => {
    const { exchanger, tokens } = setup();
    await assert.rejects(
      tokens.get('c1', 'FE'),
      (e: Error) => e instanceof MissingCredentialsError && /region FE/.test(e.message),
    );
    await assert.rejects(tokens.get('missing', 'NA'), ConnectionNotFoundError);
    assert.equal(exchanger.calls, 0);
  });
});

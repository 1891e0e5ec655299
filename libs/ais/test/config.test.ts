import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AisError, DEFAULT_JOURNAL_MAPPING, resolveConnection } from '../src/index.js';
import { connectionFor } from './helpers.js';

describe('connection config', () => {
  it('refuses plain http unless the connection allows it', () => {
    assert.throws(
      () => resolveConnection(connectionFor('http://ais.example.com:9300', { allowInsecureHttp: false })),
      (error: unknown) =>
        error instanceof AisError &&
        error.kind === 'config' &&
        error.field === 'baseUrl' &&
        /must use https/.test(error.message),
    );
    assert.equal(resolveConnection(connectionFor('http://127.0.0.1:7070')).baseUrl, 'http://127.0.0.1:7070');
  });

  it('accepts https, strips a trailing /jderest and fills the journal mapping defaults', () => {
    const resolved = resolveConnection(
      connectionFor('https://ais.example.com:9300/jderest/', {
        allowInsecureHttp: false,
        journal: { name: 'ORCH_X' },
      }),
    );
    assert.equal(resolved.baseUrl, 'https://ais.example.com:9300');
    assert.equal(resolved.journal.name, 'ORCH_X');
    assert.equal(resolved.journal.inputs.jobReference, DEFAULT_JOURNAL_MAPPING.inputs.jobReference);
    assert.equal(resolved.journal.referenceField, 'EXR');
  });

  it('names the missing or bad field', () => {
    assert.throws(
      () => resolveConnection(connectionFor('https://a.example', { password: '' })),
      /password is empty/,
    );
    // No password at all is valid (sessions from the token-broker), but nothing can log in with it.
    assert.equal(
      resolveConnection({ ...connectionFor('https://a.example'), password: undefined }).password,
      undefined,
    );
    assert.throws(() => resolveConnection(connectionFor('not a url')), /baseUrl "not a url" is not a URL/);
    assert.throws(() => resolveConnection(connectionFor('ftp://a.example')), /must be https/);
    assert.throws(
      () =>
        resolveConnection(
          connectionFor('https://a.example', { journal: { referenceField: 'XYZ' as 'EXR' } }),
        ),
      /journal.referenceField/,
    );
  });
});

/**
 * The failures of credential handling that callers map to answers (gRPC codes, CLI messages).
 * Messages name connections and fields, never a secret value.
 */

/** Input that cannot be stored; `field` is the request field path, e.g. `amazon.refresh_token`. */
export class CredentialsValidationError extends Error {
  override name = 'CredentialsValidationError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

export class ConnectionNotFoundError extends Error {
  override name = 'ConnectionNotFoundError';
  constructor(readonly connectionId: string) {
    super(`connection "${connectionId}" does not exist`);
  }
}

export class ConnectionExistsError extends Error {
  override name = 'ConnectionExistsError';
  constructor(readonly connectionId: string) {
    super(`connection "${connectionId}" already exists`);
  }
}

/** A conditional update kept losing to concurrent writers. */
export class ConcurrentUpdateError extends Error {
  override name = 'ConcurrentUpdateError';
  constructor(readonly connectionId: string) {
    super(`connection "${connectionId}" was changed concurrently; try again`);
  }
}

/**
 * Failures of the broker's own work (talking to LWA and AIS, missing credentials), which the gRPC
 * layer maps to status codes. Messages name the connection and the upstream's answer, never a secret.
 */

/** LWA or AIS could not be reached, timed out, or answered 5xx/429: the caller should retry later. */
export class UpstreamUnavailableError extends Error {
  override name = 'UpstreamUnavailableError';
}

/** LWA or AIS refused the stored credentials (invalid_grant, 401, AIS 403…): an operator must act. */
export class UpstreamRefusedError extends Error {
  override name = 'UpstreamRefusedError';
}

/** The connection exists but has no credentials of the kind asked for, or not for that region. */
export class MissingCredentialsError extends Error {
  override name = 'MissingCredentialsError';
  constructor(
    message: string,
    /** The request field at fault, when there is one (e.g. `region`). */
    readonly field?: string,
  ) {
    super(message);
  }
}

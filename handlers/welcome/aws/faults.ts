/** Reading SDK errors: what a failure says about whether the request took effect. */

interface SdkErrorShape {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

/** A rate limit: the service refused the request, so nothing happened. */
export function isThrottlingError(error: unknown): boolean {
  const { name = '', message = '' } = shape(error);
  return (
    name === 'Throttling' ||
    name === 'ThrottlingException' ||
    name === 'TooManyRequestsException' ||
    /rate exceeded/i.test(message)
  );
}

/**
 * True when the request may have been carried out even though it failed: no
 * HTTP answer (network error, timeout) or a server fault. A 4xx answer means
 * the service refused it.
 */
export function mayHaveSucceeded(error: unknown): boolean {
  const { $fault, $metadata } = shape(error);
  const status = $metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  return $fault !== 'client';
}

/**
 * IAM's `EntityTemporarilyUnmodifiable` (HTTP 409), e.g. DeleteLoginProfile on
 * a profile that was just created: refused for now, likely to succeed later.
 */
export function isTemporarilyUnmodifiable(error: unknown): boolean {
  const { name = '' } = shape(error);
  return (
    name === 'EntityTemporarilyUnmodifiable' || name === 'EntityTemporarilyUnmodifiableException'
  );
}

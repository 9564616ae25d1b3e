import type { Metadata } from '@grpc/grpc-js';

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The access token of the `authorization: Bearer <token>` metadata (scheme case-insensitive),
 * `null` when the header is absent, `undefined` when it is present but not a bearer credential.
 */
export function readBearerToken(metadata: Metadata): string | null | undefined {
  const values = metadata.get('authorization');
  if (values.length === 0) return null;
  const [first] = values;
  if (values.length > 1 || typeof first !== 'string') return undefined;
  const match = BEARER.exec(first.trim());
  return match?.[1] ?? undefined;
}

/** The token of an `authorization` value `Bearer <token>` (scheme case-insensitive, RFC 9110); '' when there is none. */
export function bearerToken(header: unknown): string {
  if (typeof header !== 'string') return '';
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? '';
}

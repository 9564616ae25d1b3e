/** A presented mailed token: required and a string; any other shape is just a token that does not work. */
export function checkMailedToken(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value === '') return 'is required';
  if (value.length > 512) return 'must be at most 512 characters long';
  return null;
}

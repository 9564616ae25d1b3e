import { expect } from 'vitest';

/** Asserts that none of `secrets` (passwords, tokens, keys, connection passwords) appears in `output`. */
export function expectNoSecrets(output: string, secrets: Iterable<string>): number {
  let checked = 0;
  const leaked: string[] = [];
  for (const secret of new Set(secrets)) {
    if (secret.length < 6) continue;
    checked += 1;
    if (output.includes(secret)) leaked.push(`${secret.slice(0, 4)}… (${secret.length} chars)`);
  }
  // A JWT anywhere in the output is a token leak whether or not the test saw it.
  const jwt = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.exec(output);
  if (jwt) leaked.push(`a JWT: ${jwt[0].slice(0, 12)}…`);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(output)) leaked.push('a PEM private key');
  expect(leaked, 'secrets found in the server output').toEqual([]);
  return checked;
}

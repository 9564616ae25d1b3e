import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/logging/secret-redaction.util.js';

describe('redactSecrets', () => {
  it('returns the very same object when no field is secret (the access log line: no copy, no allocation)', () => {
    const line = { requestId: 'r-1', method: 'GetUser', code: 'OK', durationMs: 1.5, accountId: 'a-1', nested: { list: [1, { fine: true }] } };
    expect(redactSecrets(line)).toBe(line);
  });

  it('copies only the branch that holds a secret and leaves the original untouched', () => {
    const untouched = { fine: true };
    const input = { untouched, request: { password: 'pw', login: 'ann' } };
    const output = redactSecrets(input);
    expect(output).toEqual({ untouched: { fine: true }, request: { password: '[redacted]', login: 'ann' } });
    expect(output.untouched).toBe(untouched);
    expect(input.request.password).toBe('pw');
  });

  it('leaves an absent (undefined) secret field absent', () => {
    expect(JSON.stringify(redactSecrets({ token: undefined, ok: 1 }))).toBe('{"ok":1}');
  });
});

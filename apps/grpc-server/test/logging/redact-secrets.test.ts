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

  it('drops the arguments of a failed driver command (ioredis `command: { name, args }`), keeping its name', () => {
    const error = Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), {
      command: { name: 'evalsha', args: ['3f2a', '1', 'authsvc:login-failures:{login:ann@example.com}', '1700000000000'] },
    });
    const redacted = redactSecrets({ err: error });
    expect(redacted.err).toBeInstanceOf(Error);
    expect((redacted.err as unknown as { command: unknown }).command).toEqual({ name: 'evalsha', args: '[redacted]' });
    expect(JSON.stringify((redacted.err as unknown as { command: unknown }).command)).not.toContain('ann@example.com');
    expect(error.command.args).toHaveLength(4);
  });

  it('cuts the arguments Redis echoes in a message, from the message, the stack and a wrapping error\'s cause', () => {
    const echoed = "ERR unknown command 'evalsha', with args beginning with: '3f2a' '1' 'authsvc:login-failures:{login:ann@example.com}' ";
    const cause = new Error(echoed);
    const wrapper = new Error('a store the service depends on is unavailable', { cause });
    const redacted = redactSecrets({ err: wrapper });
    const redactedCause = (redacted.err as Error).cause as Error;
    expect(redactedCause.message).toBe("ERR unknown command 'evalsha', with args beginning with: [redacted]");
    expect(redactedCause.stack).toContain("with args beginning with: [redacted]\n");
    expect(redactedCause.stack).not.toContain('ann@example.com');
    expect(cause.message).toBe(echoed);
  });
});

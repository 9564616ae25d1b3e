import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcurlError, WalkthroughShell, compareOutput, parseWalkthrough } from './support/grpcurl-runner.support.js';
import { eventually, temporaryDir } from '@authsvc/test-support';
import { startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { baseEnvironment } from './support/server-environment.support.js';

// The README's grpcurl walk-through, run line by line against the real server in embedded mode (the
// `pnpm start` defaults), with the printed outputs compared to the README's examples.
const README_ADDRESS = '127.0.0.1:50051';
const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
const steps = parseWalkthrough(readme);

describe('the README grpcurl walk-through', () => {
  const dataDir = temporaryDir('authsvc-e2e-');
  const shell = new WalkthroughShell();
  let server: ServerProcess;
  /** A README line with the address of the server under test. */
  const local = (line: string): string => line.replaceAll(README_ADDRESS, server.address);

  beforeAll(async () => {
    server = await startServerProcess({ env: baseEnvironment(dataDir.path) });
  }, 120_000);

  afterAll(async () => {
    await server?.stop('SIGTERM');
    dataDir.remove();
  }, 60_000);

  it('covers what the issue asks for, every command against the documented address', () => {
    const lines = steps.flatMap((step) => step.commands);
    const targets = lines.flatMap((line) => /\s(list|[\w.]+\/\w+)\b/.exec(line.slice(line.indexOf('grpcurl')))?.[1] ?? []);
    for (const target of ['list', 'RegisterUser', 'Login', 'GetUser', 'ListSessions', 'RevokeSession', 'ListSecurityEvents', 'RefreshToken', 'Logout', 'grpc.health.v1.Health/Check']) {
      expect(targets.some((t) => t === target || t.endsWith(`/${target}`)), target).toBe(true);
    }
    for (const line of lines.filter((l) => l.includes('grpcurl'))) {
      expect(line).toContain('-plaintext');
      expect(line).toContain(README_ADDRESS);
    }
    // The walk-through starts the server with the README's run command, which listens on the documented address.
    const [, runCommand, runComment] = /^```bash\n(.+?) +# run: (.*)$/m.exec(readme) ?? [];
    expect(runCommand).toBe('npm start');
    expect(runComment).toContain(README_ADDRESS);
    expect(readme.slice(readme.indexOf('<!-- walkthrough:start -->'))).toContain(`Start the server in one terminal (\`${runCommand}\`)`);
    const shown = steps.map((step) => step.expected?.text ?? '').join('\n');
    expect(shown).toContain('"tokenType": "Bearer"');
    expect(shown).toContain('"status": "SERVING"');
    expect(shown).toContain('"username": "ada"');
  });

  for (const [index, step] of steps.entries()) {
    it(`step ${index + 1}: ${step.commands[0]!.replace(/\s+/g, ' ').trim().slice(0, 90)}`, async () => {
      let printed = '';
      for (const line of step.commands) printed += await shell.run(local(line));
      if (step.expected) expect(compareOutput(step.expected.text, printed, step.expected.language), printed).toEqual([]);
    });
  }

  it('the prose holds: after Logout the access token is refused, the revoked phone cannot refresh, and health answers per service', async () => {
    expect(shell.vars.get('ACCESS')).toMatch(/^eyJ/);
    const refused = await shell.run(local(`grpcurl -plaintext -H "authorization: Bearer $ACCESS" -d "{\\"id\\": \\"$USER_ID\\"}" ${README_ADDRESS} auth.v1.AuthService/GetUser`)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GrpcurlError);
    expect((refused as GrpcurlError).error.code).toBe(status.UNAUTHENTICATED);
    expect((refused as GrpcurlError).message).toMatch(/^ERROR:\n {2}Code: Unauthenticated\n/);
    // The phone's session, ended by RevokeSession, cannot be refreshed.
    const phone = await shell.run(local(`grpcurl -plaintext -d "{\\"refreshToken\\": \\"$PHONE_REFRESH\\"}" ${README_ADDRESS} auth.v1.AuthService/RefreshToken`)).catch((error: unknown) => error);
    expect(phone).toBeInstanceOf(GrpcurlError);
    expect((phone as GrpcurlError).error.code).toBe(status.UNAUTHENTICATED);
    const api = await shell.run(local(`grpcurl -plaintext -d '{"service": "auth.v1.AuthService"}' ${README_ADDRESS} grpc.health.v1.Health/Check`));
    expect(JSON.parse(api)).toEqual({ status: 'SERVING' });
  });

  it('the stand-in refuses what grpcurl refuses and the comparison catches a wrong example', async () => {
    const register = (json: string) => shell.run(local(`grpcurl -plaintext -d '${json}' ${README_ADDRESS} auth.v1.AuthService/RegisterUser`));
    await expect(register('{"user_name": "bob"}')).rejects.toThrow(/no field "user_name"/);
    await expect(register('{"gender": "FEMALE"}')).rejects.toThrow(/not a value of \.auth\.v1\.Gender/);
    await expect(shell.run('echo "$NOT_SET"')).rejects.toThrow(/used before it is set/);
    await expect(shell.run(local(`grpcurl ${README_ADDRESS} list`))).rejects.toThrow(/TLS/);
    expect(compareOutput('{"user": {"username": "ada"}}', '{"user": {"username": "bob"}}', 'json')).toHaveLength(1);
    expect(compareOutput('{"tokenType": "Bearer"}', '{"tokenType": "Bearer", "extra": 1}', 'json')).toHaveLength(1);
    expect(compareOutput('{"accessToken": "eyJ…"}', '{"accessToken": "abc"}', 'json')).toHaveLength(1);
    expect(compareOutput('{"id": "019ad0f2-6b1e-7c3a-9d45-8e2f1a7b3c90"}', '{"id": "not-a-uuid"}', 'json')).toHaveLength(1);
  });

  it('the password reset in embedded mode works as the README shows it, the token read from the .eml file', async () => {
    const [, commands, shown] = /### A password reset in embedded mode[\s\S]*?```bash\n([\s\S]*?)```\s*```text\n([\s\S]*?)```/.exec(readme) ?? [];
    expect(commands, 'the README section with its commands and output').toBeDefined();
    let printed = '';
    for (const line of commands!.split('\n').filter((l) => l.trim() !== '')) {
      const read = /^TOKEN=\$\((.*)\)$/.exec(line);
      if (!read) {
        printed += await shell.run(local(line));
        continue;
      }
      // The file-reading line runs in a real shell, in the server's data folder instead of ./.data.
      const mailed = () => {
        try {
          return readdirSync(`${dataDir.path}/mail`).some((name) => name.endsWith('.eml'));
        } catch {
          return false; // no mail folder yet
        }
      };
      await eventually(mailed, 20_000, 50);
      const token = execFileSync('bash', ['-c', read[1]!.replaceAll('.data/', `${dataDir.path}/`)], { encoding: 'utf8' }).trim();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      shell.vars.set('TOKEN', token);
    }
    expect(printed.trim()).toBe(shown!.trim());
  });
});

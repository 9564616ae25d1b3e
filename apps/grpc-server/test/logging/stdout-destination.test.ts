import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceNodeFlags } from '@authsvc/test-support/server';
import { afterAll, describe, expect, it } from 'vitest';

// The default destination (stdout, asynchronous, batched) seen from outside the process, as an operator sees it.
const appDir = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'authsvc-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` in a node process with `logger` from src; resolves with stdout and when each chunk of it arrived. */
function runWithLogger(body: string): Promise<{ stdout: string; chunks: { at: number; text: string }[]; exitedAt: number }> {
  const file = join(dir, `script-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, `import { createLogger } from ${JSON.stringify(join(appDir, 'src/logging/logger.factory.ts'))};\nconst logger = createLogger({ level: 'info' });\n${body}\n`);
  const child = spawn(process.execPath, [...sourceNodeFlags(), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = Date.now();
  const chunks: { at: number; text: string }[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push({ at: Date.now() - started, text: chunk.toString('utf8') }));
  return new Promise((resolve) => child.on('close', () => resolve({ stdout: chunks.map((c) => c.text).join(''), chunks, exitedAt: Date.now() - started })));
}

describe('the log destination (stdout, written asynchronously in batches)', () => {
  it('writes a lone line within a fraction of a second, without waiting for more lines or for the exit', async () => {
    const { chunks, exitedAt } = await runWithLogger(`logger.info({ n: 1 }, 'alone');\nsetTimeout(() => undefined, 3_000);`);
    const first = chunks.find((c) => c.text.includes('"msg":"alone"'));
    expect(first).toBeDefined();
    expect(first!.at).toBeLessThan(exitedAt - 1_500);
  }, 20_000);

  it('loses no line when the process exits right after logging (process.exit, as the shutdown and fatal paths do)', async () => {
    const { stdout } = await runWithLogger(`for (let i = 0; i < 5_000; i += 1) logger.info({ i }, 'line');\nprocess.exit(0);`);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { i: number });
    expect(lines).toHaveLength(5_000);
    expect(lines.at(-1)!.i).toBe(4_999);
  }, 20_000);
});

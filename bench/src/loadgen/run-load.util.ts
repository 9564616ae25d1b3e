import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load-spec.types.ts';

const GENERATOR = fileURLToPath(new URL('./load-generator.process.ts', import.meta.url));

/** Runs one load generator in a child process of its own and resolves with its report. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--no-warnings'] });
    let settled = false;
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new Error(`load generator (${spec.kind}) did not finish in time`));
    }, spec.warmupMs + spec.durationMs + spec.callTimeoutMs + 30_000);
    const finish = (error: Error | null, result?: LoadResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      if (error) reject(error);
      else resolve(result!);
    };
    child.once('message', (message: { result?: LoadResult; error?: string }) => {
      if (message.result) finish(null, message.result);
      else finish(new Error(`load generator (${spec.kind}) failed: ${message.error}`));
    });
    child.once('exit', (code) => finish(new Error(`load generator (${spec.kind}) exited with ${code} before reporting`)));
    child.send(spec);
  });
}

import { spawn } from 'node:child_process';
import { APP_DIR } from '../workspace-paths.util.js';
import { appScriptArgs, childEnvironment, defaultAppEntry, type AppEntry } from './app-entry.util.js';

export interface CommandResult {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ServerCommandOptions {
  /** The process's environment besides PATH and HOME. */
  env?: Record<string, string>;
  /** Default: defaultAppEntry(). */
  entry?: AppEntry;
  /** The entry script under the app's src/ (its dist/ twin for `dist`); default `src/main.ts`, the CLI. */
  script?: string;
  /** Killed (SIGKILL) and rejected after this long; default 120 s. */
  timeoutMs?: number;
}

/** Runs one command of the app's CLI (`keys generate`, `create-admin`, ...) to its end, stdin not a terminal. */
export function runServerCommand(args: string[], options: ServerCommandOptions = {}): Promise<CommandResult> {
  const { env = {}, entry = defaultAppEntry(), script = 'src/main.ts', timeoutMs = 120_000 } = options;
  const child = spawn(process.execPath, [...appScriptArgs(script, entry), ...args], { cwd: APP_DIR, env: childEnvironment(env), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`\`${args.join(' ')}\` did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // 'close', not 'exit': the output streams are read to their end.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs one command of the app's CLI; resolves with its stdout when it exits 0, rejects with its stderr otherwise. */
export async function serverCommandOutput(args: string[], options: ServerCommandOptions = {}): Promise<string> {
  const result = await runServerCommand(args, options);
  if (result.code !== 0) throw new Error(`\`${args.join(' ')}\` exited with ${result.code}:\n${result.stderr}`);
  return result.stdout;
}

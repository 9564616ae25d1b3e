import { join } from 'node:path';
import { APP_DIR, TEST_SUPPORT_DIR } from '../workspace-paths.util.js';

/**
 * Where the app runs from: its TypeScript sources (Node 24 type transforms and a `.js`->`.ts` resolve hook, so a suite
 * always tests the current code without a build), or the built `dist/` exactly as deployed.
 */
export type AppEntry = 'source' | 'dist';

/** What the suites run unless told otherwise: the sources, or `dist` when AUTHSVC_E2E_ENTRY=dist. */
export function defaultAppEntry(): AppEntry {
  return process.env['AUTHSVC_E2E_ENTRY'] === 'dist' ? 'dist' : 'source';
}

// Read from src/ also when this package runs built: tsc does not copy .mjs files to dist/.
const SOURCE_LOADER = join(TEST_SUPPORT_DIR, 'src', 'server', 'source-loader.support.mjs');

/** The node flags that run any TypeScript file of the workspace from its sources. */
export function sourceNodeFlags(): string[] {
  return ['--experimental-transform-types', '--no-warnings', '--conditions=@authsvc/source', '--import', SOURCE_LOADER];
}

/** The node arguments that run `script` (a path under the app's src/, e.g. `src/main.ts`) from `entry`. */
export function appScriptArgs(script: string, entry: AppEntry): string[] {
  if (entry === 'dist') return [join(APP_DIR, script.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'))];
  return [...sourceNodeFlags(), join(APP_DIR, script)];
}

/** The environment of a child: exactly `env`, plus PATH and HOME, so the runner's own AUTH_* or CI settings never leak in. */
export function childEnvironment(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env };
}

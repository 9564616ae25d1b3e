import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The nearest folder above this file holding `marker`; the same from src/ and from the built dist/. */
function findUp(marker: string): string {
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return dir;
    if (dirname(dir) === dir) throw new Error(`no ${marker} in any folder above ${here}`);
  }
}

/** The monorepo's root (where pnpm-workspace.yaml is). */
export const WORKSPACE_ROOT = findUp('pnpm-workspace.yaml');

/** This package's own folder. */
export const TEST_SUPPORT_DIR = findUp('package.json');

/**
 * The gRPC app's folder, found on disk rather than by importing @authsvc/grpc-server: the adapters use this package
 * in their tests, and the app depends on the adapters, so a dependency on the app would close a package cycle.
 */
export const APP_DIR = join(WORKSPACE_ROOT, 'apps', 'grpc-server');

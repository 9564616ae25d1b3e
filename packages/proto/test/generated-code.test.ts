import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const protoDir = join(packageDir, '../../proto');
const buf = join(packageDir, 'node_modules/.bin/buf');

function filesUnder(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return out;
}

describe('the proto and its generated code', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'authsvc-gen-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('passes buf lint (STANDARD + COMMENTS)', () => {
    expect(() => execFileSync(buf, ['lint'], { cwd: protoDir, stdio: 'pipe' })).not.toThrow();
  });

  it('src/generated is exactly what `pnpm --filter @authsvc/proto gen` produces (stale code fails here)', () => {
    execFileSync(buf, ['generate', protoDir, '--template', 'buf.gen.yaml', '--output', tmp], { cwd: packageDir, stdio: 'pipe' });
    const fresh = filesUnder(join(tmp, 'src/generated'));
    const committed = filesUnder(join(packageDir, 'src/generated'));
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, content] of fresh) expect(committed.get(path), `${path} is stale: run pnpm --filter @authsvc/proto gen`).toBe(content);
  }, 60_000);
});

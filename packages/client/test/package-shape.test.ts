import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  name: string;
  files: string[];
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};
const SUBPATHS = ['.', './verifier', './grpc', './express'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}

describe('the published shape of @authsvc/client', () => {
  it('exports the client, the verifier and the two adapters, each with types and code inside the published files', () => {
    expect(Object.keys(manifest.exports).filter((key) => key !== './package.json')).toEqual(SUBPATHS);
    for (const subpath of SUBPATHS) {
      const entry = manifest.exports[subpath] as Record<string, string>;
      expect(existsSync(join(PACKAGE_DIR, entry['@authsvc/source']!)), subpath).toBe(true);
      for (const target of [entry['types']!, entry['default']!]) expect(manifest.files.some((f) => target.startsWith(`./${f}/`)), target).toBe(true);
    }
    expect(manifest.files).toContain('README.md');
  });

  it('depends on no part of the server, and leaves Express to the caller (an optional peer, never imported at run time)', () => {
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@authsvc/'))).toEqual(['@authsvc/proto']);
    expect(manifest.dependencies).not.toHaveProperty('express');
    expect(manifest.peerDependenciesMeta['express']?.optional).toBe(true);
    const importsExpress = sourceFiles(join(PACKAGE_DIR, 'src')).filter((file) => /from '(express|@authsvc\/(core|grpc-server|adapters-[\w-]+))'/.test(readFileSync(file, 'utf8')));
    expect(importsExpress).toEqual([]);
  });

  it('resolves every subpath as a consumer does, from the built dist/ (pnpm build first)', () => {
    const script = SUBPATHS.map((subpath) => `Object.keys(await import('${join(manifest.name, subpath)}')).length`).join(', ');
    const counts = execFileSync(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify([${script}]))`], { cwd: PACKAGE_DIR, encoding: 'utf8' });
    expect((JSON.parse(counts) as number[]).every((count) => count > 0)).toBe(true);
  });
});

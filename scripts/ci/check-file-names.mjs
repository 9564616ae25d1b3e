#!/usr/bin/env node
// Fails when a TypeScript file of the workspace does not say what it is: every file under packages/, apps/, bench/,
// tests/ and examples/ is named `<thing>.<role>.ts` with a role from the closed list below (CONTRIBUTING.md explains
// each), except index.ts (a package's public API) and main.ts (a process entry point). Generated code is exempt.
import { execFileSync } from 'node:child_process';

export const ROLES = {
  model: 'domain types and the pure functions on them',
  'use-case': 'one use case of core',
  service: 'a domain service several use cases share',
  port: 'one port (an interface core depends on)',
  adapter: 'one implementation of a port, whatever the technology (in-memory included)',
  rules: 'validation rules, policies and limits',
  errors: 'error codes, error classes and the translation of driver failures',
  codec: 'conversion between two representations (wire, rows, tokens, text)',
  query: 'SQL statements',
  migration: 'one database migration',
  script: 'Lua scripts Redis runs',
  worker: 'a background loop or a thread pool',
  factory: 'builds or opens a part from settings',
  config: 'settings: their types, defaults and loading',
  command: 'one command of the command line',
  rpc: 'the gRPC handlers of a group of RPCs',
  interceptor: 'one step of the call pipeline',
  server: 'a listening transport (gRPC, HTTP)',
  contract: 'one contract suite of a port',
  test: 'tests',
  support: 'test support: harnesses, fixtures, clients, spawners',
  util: 'a small helper with no domain meaning',
  types: 'type-only declarations',
  scenario: 'a bench scenario',
  experiment: 'a bench experiment',
  process: 'the entry point of a child process (bench)',
  report: 'bench reporting',
};

const EXEMPT = new Set(['index.ts', 'main.ts']);
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'packages', 'apps', 'bench', 'tests', 'examples'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|mts|mjs)$/.test(f) && !f.includes('/generated/') && !f.endsWith('.d.ts'));
const wrong = files.filter((file) => {
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (EXEMPT.has(name)) return false;
  const parts = name.split('.');
  return parts.length < 3 || !(parts.at(-2) in ROLES) || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(parts[0]);
});
if (wrong.length > 0) {
  process.stderr.write(`${wrong.length} file(s) not named <thing>.<role>.ts (kebab-case thing; role one of ${Object.keys(ROLES).join(', ')}):\n`);
  for (const file of wrong) process.stderr.write(`  ${file}\n`);
  process.exit(1);
}
process.stdout.write(`file names: ${files.length} files, each <thing>.<role>.ts\n`);

#!/usr/bin/env node
// What the README's two commands run: `npm start` / `npm test` (and `pnpm start` / `pnpm test`). On a machine with
// only a Node LTS and npm, it fetches the Node major of .nvmrc and the pnpm of package.json's packageManager from the
// npm registry into a cache folder (`npm install --prefix <cache> node@24`, once), puts them first on PATH, installs
// the workspace and runs the task with them. With the right Node and pnpm already there it only installs and runs.
// `.ci/run` takes its toolchain from the `env` task, so there is one copy of this logic.
//
//   node scripts/bootstrap.mjs start          install, build and start the server (the root `serve` script)
//   node scripts/bootstrap.mjs test [args]    install, then every package's suite (`test:packages`, args to turbo)
//   node scripts/bootstrap.mjs env            print `export PATH=…` for a shell: eval "$(node scripts/bootstrap.mjs env)"
//
// Written for any Node from 18 on (the oldest LTS a machine may still carry): plain ESM and node: built-ins only.
// Settings: AUTHSVC_TOOLCHAIN_DIR (default ${XDG_CACHE_HOME:-~/.cache}/authsvc); AUTHSVC_NODE_PREFIX and
// AUTHSVC_PNPM_PREFIX place one tool elsewhere.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants, homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const TASKS = { start: ['run', 'serve'], test: ['run', 'test:packages'] };

const say = (line) => process.stderr.write(`bootstrap: ${line}\n`);
const fail = (line) => {
  say(line);
  process.exit(1);
};

const NODE_MAJOR = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim().replace(/^v/, '').split('.')[0];
const PNPM_VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager.replace(/^pnpm@/, '').split('+')[0];
const CACHE = process.env.AUTHSVC_TOOLCHAIN_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'authsvc');

// What npm sets for the script it runs, describing itself (its prefix, its node-gyp, its version): meaningless to the
// npm of another Node and to pnpm. The user's own settings (npm_config_registry, _cache, _cafile, ...) pass through.
const NPM_SELF = /^npm_(execpath|node_execpath|command|lifecycle_.*|package_.*|config_(prefix|global_prefix|local_prefix|node_gyp|user_agent|npm_version|init_module))$/i;
const childEnv = (path) => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !NPM_SELF.test(key)));
  return { ...env, PATH: path };
};

function versionOf(command, path) {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8', env: childEnv(path) });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The npm that can install: the one running this script (npm start), else the one on PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.js$/.test(cli)) return [process.execPath, [cli]];
  return ['npm', []];
}

function npmInstall(prefix, spec, path) {
  say(`fetching ${spec} from the npm registry into ${prefix} (once)`);
  const [command, args] = npmCommand();
  const result = spawnSync(command, [...args, 'install', '--global', '--prefix', prefix, '--no-fund', '--no-audit', '--loglevel=error', spec], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: childEnv(path),
  });
  if (result.status !== 0) fail(`npm install ${spec} failed (exit ${result.status ?? result.signal}); is the npm registry reachable?`);
}

/** A PATH on which `node` is Node NODE_MAJOR: this one if it is, else the cached one, fetched when missing. */
function withNode(path) {
  if (process.versions.node.split('.')[0] === NODE_MAJOR) return [dirname(process.execPath), path].join(delimiter);
  const prefix = process.env.AUTHSVC_NODE_PREFIX || join(CACHE, `node${NODE_MAJOR}`);
  const bin = join(prefix, 'bin');
  const isRight = () => existsSync(join(bin, 'node')) && (versionOf(join(bin, 'node'), path) || '').startsWith(`v${NODE_MAJOR}.`);
  if (!isRight()) {
    say(`Node ${process.version} runs this; the project needs Node ${NODE_MAJOR}`);
    npmInstall(prefix, `node@${NODE_MAJOR}`, path);
    if (!isRight()) fail(`${join(bin, 'node')} is not Node ${NODE_MAJOR} after the install`);
  }
  return [bin, path].join(delimiter);
}

/** A PATH on which `pnpm` is PNPM_VERSION: as it is if so, else with the cached one first, fetched when missing. */
function withPnpm(path) {
  if (versionOf('pnpm', path) === PNPM_VERSION) return path;
  const prefix = process.env.AUTHSVC_PNPM_PREFIX || join(CACHE, `pnpm-${PNPM_VERSION}`);
  const bin = join(prefix, 'bin');
  if (versionOf(join(bin, 'pnpm'), path) !== PNPM_VERSION) npmInstall(prefix, `pnpm@${PNPM_VERSION}`, path);
  if (versionOf(join(bin, 'pnpm'), path) !== PNPM_VERSION) fail(`${join(bin, 'pnpm')} is not pnpm ${PNPM_VERSION} after the install`);
  return [bin, path].join(delimiter);
}

/** Runs pnpm in the foreground; a stop signal is passed on and the exit waits for pnpm's own. */
function runPnpm(args, path) {
  return new Promise((resolve) => {
    const child = spawn('pnpm', args, { cwd: ROOT, stdio: 'inherit', env: childEnv(path) });
    const forward = (signal) => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
    child.on('exit', (code, signal) => {
      for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(name, forward);
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

const [task, ...rest] = process.argv.slice(2);
if (!(task in TASKS) && task !== 'env') fail(`unknown task ${task ?? '(none)'}: start, test or env`);

const path = withPnpm(withNode(process.env.PATH || ''));
const nodeVersion = versionOf('node', path);
if (task === 'env') {
  process.stdout.write(`export PATH='${path.replaceAll("'", "'\\''")}'\n`);
  say(`node ${nodeVersion}, pnpm ${PNPM_VERSION}`);
  process.exit(0);
}
say(`node ${nodeVersion}, pnpm ${PNPM_VERSION}: installing the workspace, then pnpm ${TASKS[task].join(' ')}`);
const installed = await runPnpm(['install', '--prefer-offline'], path);
if (installed !== 0) process.exit(installed);
process.exit(await runPnpm([...TASKS[task], ...rest], path));

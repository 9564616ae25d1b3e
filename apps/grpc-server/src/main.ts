#!/usr/bin/env node
// Entry point: `node dist/main.js [serve] [--config file] [--print-config]`, `node dist/main.js relay`, and the
// operator commands (`migrate`, `create-admin`, `keys`, `outbox`, `kafka`); `--help` lists them all.
import { registerAdminCommands } from './admin/index.js';
import { buildProgram } from './cli/cli.program.js';

const setExitCode = (code: number): void => {
  process.exitCode = code;
};
const program = registerAdminCommands(buildProgram(setExitCode), { setExitCode });
await program.parseAsync(process.argv);

#!/usr/bin/env node
// Entry point: `node dist/main.js [serve] [--config file] [--print-config]`, `node dist/main.js relay`, ...
import { buildProgram } from './cli/cli.program.js';

const program = buildProgram((code) => {
  process.exitCode = code;
});
await program.parseAsync(process.argv);

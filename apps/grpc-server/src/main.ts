#!/usr/bin/env node
// Entry point of the service: `node dist/main.js [serve]`, `relay` and the operator commands; `--help` lists them all.
import { buildProgram } from './cli/program.command.js';

await buildProgram().parseAsync(process.argv);

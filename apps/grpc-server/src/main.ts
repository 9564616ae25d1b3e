#!/usr/bin/env node
// Entry point of the service: `node dist/main.js [serve]`, `relay` and the operator commands; `--help` lists them all.
import { tracingRequested } from './tracing/tracing.config.js';

// Tracing (only when the OTEL_* variables ask for it) starts before the program is loaded: the instrumentations
// patch the drivers as they are first required.
if (tracingRequested(process.env)) await (await import('./tracing/tracing.factory.js')).startTracing(process.env);
const { buildProgram } = await import('./cli/program.command.js');

await buildProgram().parseAsync(process.argv);

import { Command } from 'commander';
import { configMarkdownTable } from '../config/config-table.codec.js';
import type { CliIo } from './cli-io.util.js';

/** `config-table`: the configuration reference as a Markdown table (the README's). */
export function configTableCommand(io: CliIo): Command {
  return new Command('config-table').description('print the configuration reference as a Markdown table (for the README)').action(() => {
    io.stdout.write(`${configMarkdownTable()}\n`);
  });
}

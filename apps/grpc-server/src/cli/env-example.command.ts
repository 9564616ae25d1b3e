import { Command } from 'commander';
import { ENV_PREFIX, OPTION_ENTRIES, type OptionEntry } from '../config/option-table.config.js';
import type { CliIo } from './cli-io.util.js';
import { formatDuration } from './duration-text.codec.js';
import { ADMIN_PASSWORD_ENV } from './create-admin.command.js';

/** A duration option is one whose schema reads "1s" as 1000 ms; its default is shown in the largest exact unit. */
function isDuration(entry: OptionEntry): boolean {
  const parsed = entry.spec.schema.safeParse('1s');
  return parsed.success && parsed.data === 1_000;
}

function exampleValue(entry: OptionEntry): string {
  const value = entry.spec.default;
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'number' && isDuration(entry)) return formatDuration(value);
  return String(value);
}

function block(entry: OptionEntry): string {
  const notes = [entry.spec.description, `YAML: ${entry.yamlKey}.`];
  if (entry.spec.defaultText !== undefined) notes.push(`Default: ${entry.spec.defaultText}.`);
  else if (entry.spec.default === undefined) notes.push('Default: unset.');
  if (entry.spec.redact === 'secret') notes.push('Secret: prefer a file or a secret store; never printed.');
  if (isDuration(entry)) notes.push('Duration: 500ms, 10s, 15m, 24h, 30d or plain milliseconds.');
  return [...wrap(notes.join(' ')), `# ${entry.envVar}=${exampleValue(entry)}`].join('\n');
}

/** Comment lines of at most ~110 characters. */
function wrap(text: string, width = 110): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/**
 * The .env.example file, generated from the option table so it lists every setting with its comment and default
 * (a test compares it with the committed file). Every line is commented out: the values shown are the defaults.
 */
export function renderEnvExample(): string {
  const sections = new Map<string, OptionEntry[]>();
  for (const entry of OPTION_ENTRIES) {
    const section = entry.path.length > 1 ? entry.path[0]! : 'general';
    sections.set(section, [...(sections.get(section) ?? []), entry]);
  }
  const out = [
    '# Settings of the authentication service, one environment variable each (generated from the configuration',
    '# schema by `node apps/grpc-server/dist/main.js env-example > .env.example`; a test fails when it is stale).',
    '# Every value shown is the default, commented out: uncomment what you change. Environment variables win over',
    `# the YAML file named by ${ENV_PREFIX}CONFIG or --config. Nothing here is needed for embedded mode.`,
    '',
    '# YAML configuration file to read (optional).',
    `# ${ENV_PREFIX}CONFIG=`,
    '',
  ];
  for (const [section, entries] of sections) {
    out.push(`# --- ${section}`, entries.map(block).join('\n\n'), '');
  }
  out.push(
    '# --- operator commands only',
    `# Password of the account \`create-admin\` creates (else it asks on the terminal). Remove it once used.`,
    `# ${ADMIN_PASSWORD_ENV}=`,
    '',
  );
  return out.join('\n');
}

/** `env-example`: prints the generated .env.example. */
export function envExampleCommand(io: CliIo): Command {
  return new Command('env-example').description('print .env.example: every setting with its comment and default').action(() => {
    io.stdout.write(renderEnvExample());
  });
}

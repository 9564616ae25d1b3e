import { DURATION_SCHEMAS, formatDuration, type OptionSpec } from './option.config.js';
import { OPTION_ENTRIES } from './option-table.config.js';

const REDACT_NOTE = { none: '', secret: ' Secret: never printed.', url: ' Its password is never printed.' };

function formatDefault(spec: OptionSpec<unknown>): string {
  const value = spec.default;
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (value === undefined) return '(unset)';
  if (typeof value === 'number' && DURATION_SCHEMAS.has(spec.schema)) return `\`${formatDuration(value)}\``;
  return `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
}

/** The README's configuration reference, generated from the option table. */
export function configMarkdownTable(): string {
  const rows = OPTION_ENTRIES.map(
    (e) =>
      `| \`${e.envVar}\` | \`${e.yamlKey}\` | ${formatDefault(e.spec)} | ${e.spec.description.replace(/\|/g, '\\|')}${REDACT_NOTE[e.spec.redact ?? 'none']} |`,
  );
  return ['| Environment variable | YAML key | Default | Description |', '|---|---|---|---|', ...rows].join('\n');
}

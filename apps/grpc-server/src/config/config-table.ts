import { OPTION_ENTRIES } from './option-table.js';

const REDACT_NOTE = { none: '', secret: ' Secret: never printed.', url: ' Its password is never printed.' };

function formatDefault(value: unknown, text: string | undefined): string {
  if (text !== undefined) return text;
  if (value === undefined) return '(unset)';
  return `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
}

/** The README's configuration reference, generated from the option table. */
export function configMarkdownTable(): string {
  const rows = OPTION_ENTRIES.map(
    (e) =>
      `| \`${e.envVar}\` | \`${e.yamlKey}\` | ${formatDefault(e.spec.default, e.spec.defaultText)} | ${e.spec.description.replace(/\|/g, '\\|')}${REDACT_NOTE[e.spec.redact ?? 'none']} |`,
  );
  return ['| Environment variable | YAML key | Default | Description |', '|---|---|---|---|', ...rows].join('\n');
}

/** One invalid or missing setting, named both ways a user may have set it. */
export interface ConfigProblem {
  envVar: string;
  yamlKey: string;
  message: string;
}

/** The configuration cannot be used; the process stops with exit code 2 and prints every problem. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      ['Invalid configuration:', ...problems.map((p) => `  ${p.envVar} (YAML ${p.yamlKey}): ${p.message}`)].join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Exit code for a configuration the process cannot start with (like a usage error). */
export const CONFIG_EXIT_CODE = 2;

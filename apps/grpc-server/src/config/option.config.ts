import { z } from 'zod';
import { isAddressRange } from '../grpc/client-address.codec.js';

/**
 * One configuration option. The option table (options.config.ts) is the single source of truth:
 * loading, validation messages, `--print-config` and the README table are all derived from it.
 */
export interface OptionSpec<T> {
  readonly kind: 'option';
  /** Accepts both an environment string and a typed YAML value. */
  readonly schema: z.ZodType<T>;
  readonly default: T;
  /** How the default reads in documentation (for defaults computed from other settings). */
  readonly defaultText?: string;
  readonly description: string;
  /** `secret`: never printed; `url`: printed with its password replaced. */
  readonly redact?: 'secret' | 'url';
}

interface Extra {
  defaultText?: string;
  redact?: 'secret' | 'url';
}

/** An option with a default value. */
export function opt<T>(schema: z.ZodType<T>, defaultValue: T, description: string, extra: Extra = {}): OptionSpec<T> {
  return { kind: 'option', schema, default: defaultValue, description, ...extra };
}

/** An option that is unset unless configured. */
export function optional<T>(schema: z.ZodType<T>, description: string, extra: Extra = {}): OptionSpec<T | undefined> {
  return { kind: 'option', schema: schema.optional(), default: undefined, description, ...extra };
}

export function isOption(value: unknown): value is OptionSpec<unknown> {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'option';
}

// --- value kinds: each accepts the string an environment variable gives and the typed value YAML gives

export const text = () => z.string().trim().min(1, 'must not be empty');

/** Turns a string (from the environment) into the typed value, leaving anything it cannot read for the schema to reject. */
const fromString = (read: (s: string) => unknown) => (value: unknown) => (typeof value === 'string' ? read(value.trim()) : value);

export const integer = (min: number, max: number) =>
  z.preprocess(
    fromString((s) => (/^-?\d+$/.test(s) ? Number(s) : s)),
    z.number({ error: 'must be a whole number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, '1': true, yes: true, on: true, false: false, '0': false, no: false, off: false };

export const flag = () =>
  z.preprocess(
    fromString((s) => BOOLEAN_WORDS[s.toLowerCase()] ?? s),
    z.boolean({ error: 'must be true or false' }),
  );

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration in milliseconds: a number of ms, or a string like "500ms", "10s", "15m", "24h", "30d". */
export const duration = (min = 0) => {
  const schema = z.preprocess(
    fromString((s) => {
      const match = /^(\d+)(ms|s|m|h|d)?$/.exec(s);
      return match ? Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS] : s;
    }),
    z
      .number({ error: 'must be a duration such as 500ms, 10s, 15m, 24h or 30d' })
      .int('must be whole milliseconds')
      .min(min, `must be at least ${min} ms`),
  );
  DURATION_SCHEMAS.add(schema);
  return schema;
};

/** Schemas made by duration(), so documentation can print their defaults as 15m rather than 900000. */
export const DURATION_SCHEMAS = new WeakSet<object>();

/** 900000 -> "15m", 1500 -> "1500ms": the largest unit that divides the value. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** A list: comma-separated in the environment, a sequence (or a comma-separated string) in YAML. */
export const list = () =>
  z.preprocess(
    fromString((s) => s.split(',')),
    z
      .array(z.string({ error: 'must be a list of strings' }), { error: 'must be a list' })
      .transform((items) => items.map((i) => i.trim()).filter((i) => i.length > 0))
      .pipe(z.array(z.string()).min(1, 'must list at least one entry')),
  );

/** A list of roles, possibly empty: comma-separated, or `none` for no role at all. */
export const roleList = (roles: readonly string[]) =>
  z.preprocess(
    fromString((s) => (s === 'none' ? [] : s.split(','))),
    z
      .array(z.string({ error: 'must be a list of roles' }), { error: 'must be a list' })
      .transform((items) => items.map((i) => i.trim()).filter((i) => i.length > 0))
      .pipe(z.array(z.enum(roles as [string, ...string[]], { error: `must list roles among ${roles.join(', ')}, or be none` }))),
  );

/** A list of IP addresses and CIDR ranges (`10.0.0.0/8, 2001:db8::/32, 192.0.2.7`). */
export const addressRangeList = () =>
  list().refine((entries) => entries.every(isAddressRange), { error: 'must list IP addresses or CIDR ranges such as 10.0.0.0/8 or fd00::/8' });

export const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${values.join(', ')}` });

/** A URL with one of the given schemes. */
export const urlWith = (schemes: readonly string[]) =>
  text().refine(
    (s) => {
      try {
        return schemes.includes(new URL(s).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { error: `must be a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}` },
  );

/** A secret given as base64url (padding allowed) that decodes to at least `minBytes` bytes. */
export const base64urlSecret = (minBytes: number) =>
  text().refine((s) => /^[A-Za-z0-9_-]+={0,2}$/.test(s) && Buffer.from(s, 'base64url').length >= minBytes, {
    error: `must be base64url and decode to at least ${minBytes} bytes`,
  });

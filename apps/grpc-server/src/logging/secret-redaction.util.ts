import { REDACTED, SECRET_FIELDS } from './secret-fields.config.js';

/**
 * Deeper than pino ever writes (its depthLimit is 5), so nothing it prints escapes the walk; the bound only
 * protects the walk itself from pathological objects.
 */
const MAX_DEPTH = 10;

const CIRCULAR = '[Circular]';

/** The set of objects being walked, kept between walks while none is under way (see redactSecrets). */
let spareAncestors: Set<object> | undefined = new Set();

/**
 * Redis echoes the start of the arguments of a command it does not know ("ERR unknown command 'evalsha', with args
 * beginning with: 'sha' '1' 'authsvc:login-failures:{login:ann@example.com}'"). Whatever follows goes.
 */
const ECHOED_ARGUMENTS = /(with args beginning with:).*$/m;

/**
 * `value` with every SECRET_FIELDS property, at any depth (plain objects, arrays, errors and other objects,
 * including an AggregateError's `errors` and an error's `cause`), replaced by "[redacted]". The arguments of a
 * failed driver command go too: ioredis puts the command on its errors as `command: { name, args }` (keys and
 * values: login names, emails, session ids), and Redis repeats some of them in its message.
 *
 * Copy on write: when nothing needs redacting - the access log's flat line of request id, method, code and
 * duration, i.e. almost every line - the same object comes back after one look at each key, no allocation.
 * (pino's own `redact` option ran every redaction path on every value of every line: ~40 µs per access-log
 * line against ~2 µs for this walk; see docs/PERFORMANCE.md.) A copy keeps the original's prototype and
 * property attributes, so an error stays an error for pino's `err` serializer (type, message, stack, cause).
 */
export function redactSecrets<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  // The ancestors' set is reused from line to line (a new Set per log line was garbage); a walk that starts inside
  // another (a getter that logs) finds it taken and makes its own.
  const ancestors = spareAncestors ?? new Set<object>();
  spareAncestors = undefined;
  try {
    return redact(value, 0, ancestors) as T;
  } finally {
    ancestors.clear();
    spareAncestors = ancestors;
  }
}

function redact(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  // Bytes and dates have no named fields.
  if (ArrayBuffer.isView(value) || value instanceof Date) return value;
  // A reference back to an object being walked: what pino would print for it anyway. Keeping the reference would
  // make a redacted copy point back at its unredacted original.
  if (ancestors.has(value)) return CIRCULAR;
  ancestors.add(value);
  try {
    return Array.isArray(value) ? redactArray(value, depth, ancestors) : redactObject(value as Record<string, unknown>, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function redactArray(array: unknown[], depth: number, ancestors: Set<object>): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i += 1) {
    const redacted = redact(array[i], depth + 1, ancestors);
    if (redacted !== array[i]) (copy ??= array.slice())[i] = redacted;
  }
  return copy ?? array;
}

function redactObject(object: Record<string, unknown>, depth: number, ancestors: Set<object>): Record<string, unknown> {
  let replaced: Map<string, unknown> | undefined;
  // for...in: the keys JSON.stringify and pino's err serializer write (own and inherited enumerable ones).
  for (const key in object) {
    const field = object[key];
    const redacted =
      SECRET_FIELDS.has(key) && field !== undefined ? REDACTED : key === 'command' ? redactCommand(field, depth, ancestors) : redact(field, depth + 1, ancestors);
    if (redacted !== field) (replaced ??= new Map()).set(key, redacted);
  }
  if (object instanceof Error) {
    // Not enumerable, yet pino's err serializer writes them: an AggregateError's `errors`, the `cause` (its message
    // and stack joined to the error's own), and the message and stack themselves.
    for (const key of ['errors', 'cause'] as const) {
      const field: unknown = (object as { errors?: unknown; cause?: unknown })[key];
      if (typeof field !== 'object' || field === null) continue;
      const redacted = redact(field, depth + 1, ancestors);
      if (redacted !== field) (replaced ??= new Map()).set(key, redacted);
    }
    for (const key of ['message', 'stack'] as const) {
      const text: unknown = object[key];
      if (typeof text === 'string' && ECHOED_ARGUMENTS.test(text)) (replaced ??= new Map()).set(key, text.replace(ECHOED_ARGUMENTS, `$1 ${REDACTED}`));
    }
  }
  if (replaced === undefined) return object;
  const descriptors = Object.getOwnPropertyDescriptors(object) as Record<string, PropertyDescriptor>;
  // V8 keeps an error's stack behind an accessor that reads the original error's internals: copy the text.
  if (descriptors['stack']?.get) descriptors['stack'] = { value: object['stack'], enumerable: false, writable: true, configurable: true };
  for (const [key, redacted] of replaced) {
    descriptors[key] = { value: redacted, enumerable: descriptors[key]?.enumerable ?? true, writable: true, configurable: true };
  }
  return Object.create(Object.getPrototypeOf(object) as object | null, descriptors) as Record<string, unknown>;
}

/** A driver's failed command (`{ name, args }`): the name stays, the arguments go; anything else is walked as usual. */
function redactCommand(field: unknown, depth: number, ancestors: Set<object>): unknown {
  if (typeof field !== 'object' || field === null || !('args' in field) || (field as { args: unknown }).args === undefined) {
    return redact(field, depth + 1, ancestors);
  }
  return redact({ ...field, args: REDACTED }, depth + 1, ancestors);
}

import { GENDERS, ROLES, normalizeAuthor } from '../domain/account.model.js';
import type { Gender, Role } from '../domain/account.model.js';
import { ISO_3166_ALPHA2_CODES } from './country-codes.rules.js';
import { VALIDATION_LIMITS as L } from './validation-limits.rules.js';

// Each rule returns null when the value is fine, else a description safe to show to the client.
// Values arrive from JavaScript callers too (the embedded library), so types are checked, not assumed.

/** C0 and C1 control characters and DEL: never meaningful in a single-line field, and NUL breaks C-based stores. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;
/** Same, but tab, line feed and carriage return are allowed in multi-line text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER_EXCEPT_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
/** A UTF-16 surrogate without its pair cannot be encoded as UTF-8 (PostgreSQL would reject it as an internal error). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Format characters (Unicode category Cf): zero-width spaces and joiners, bidi overrides and isolates, the soft
 * hyphen, the byte-order mark... They change how text is shown or read without being seen, so "Drake" and
 * "Drake" + U+200B, or a name that displays reversed, would pass for what they are not.
 */
const FORMAT_CHARACTER = /\p{Cf}/u;
/** The two uses of format characters free text needs: a zero-width joiner between emoji (👩‍🎤), and a subdivision flag's tags (🏴 + tags). */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}(?:\u{FE0F}|\p{Emoji_Modifier})?)\u200D(?=\p{Extended_Pictographic})/gu;
const FLAG_TAGS = /(?<=\u{1F3F4})[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

/** A description of the first format character of `value`, or null; `emoji` lets emoji sequences through. */
function formatCharacterProblem(value: string, emoji = false): string | null {
  const rest = emoji ? value.replace(EMOJI_JOINER, '').replace(FLAG_TAGS, '') : value;
  const found = FORMAT_CHARACTER.exec(rest)?.[0];
  if (found === undefined) return null;
  const codePoint = `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `must not contain invisible or direction-changing characters (found ${codePoint})`;
}

/**
 * ASCII letters and digits only, plus `_ . -`: Unicode letters would allow look-alike names
 * ("аdmin" with a Cyrillic а) that case-insensitive uniqueness cannot catch.
 */
const USERNAME = /^[A-Za-z0-9_.-]+$/;
/** A practical address check, not RFC 5322: one @, no spaces or quotes, a dotted domain whose labels do not start or end with a hyphen. */
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;

const codePoints = (value: string): number => [...value].length;
const utf8Bytes = (value: string): number => Buffer.byteLength(value, 'utf8');

function textProblem(value: unknown, multiLine = false): string | null {
  if (typeof value !== 'string') return 'is required';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text';
  if ((multiLine ? CONTROL_CHARACTER_EXCEPT_NEWLINES : CONTROL_CHARACTER).test(value)) return 'must not contain control characters';
  return null;
}

export function checkUsername(value: unknown): string | null {
  const problem = textProblem(value);
  if (problem !== null) return problem;
  const username = value as string;
  const { min, max } = L.username;
  if (username.length < min || username.length > max) return `must be ${min} to ${max} characters long`;
  if (!USERNAME.test(username)) return 'may contain only ASCII letters, digits, "_", "." and "-"';
  return null;
}

export function checkEmail(value: unknown): string | null {
  const problem = textProblem(value);
  if (problem !== null) return problem;
  const email = value as string;
  if (codePoints(email) > L.email.max) return `must be at most ${L.email.max} characters long`;
  if (!EMAIL.test(email)) return 'must be a valid email address';
  // The domain's pattern already admits letters and digits only; the local part admits nearly anything.
  const invisible = formatCharacterProblem(email);
  if (invisible !== null) return invisible;
  if (codePoints(email.slice(0, email.lastIndexOf('@'))) > L.email.localPartMax) {
    return `must have at most ${L.email.localPartMax} characters before the @`;
  }
  return null;
}

/** A new password: checked at registration and on password change. `maxBytes`: the hasher's maximum (72 for bcrypt). */
export function checkNewPassword(value: unknown, maxBytes: number = L.password.maxBytes): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'is required';
  const lengthProblem = checkPasswordLength(value, maxBytes);
  if (lengthProblem !== null) return lengthProblem;
  if (codePoints(value) < L.password.minChars) return `must be at least ${L.password.minChars} characters long`;
  const problem = textProblem(value);
  return problem;
}

/**
 * The only check a presented (not new) password gets: longer input than the hasher reads (`maxBytes`: 72 for bcrypt,
 * 1024 for argon2id) can never match without truncation, so it is a client error whatever the account.
 */
export function checkPasswordLength(value: unknown, maxBytes: number = L.password.maxBytes): string | null {
  if (typeof value !== 'string') return 'is required';
  if (utf8Bytes(value) > maxBytes) return `must be at most ${maxBytes} bytes in UTF-8`;
  return null;
}

export function checkAuthor(value: unknown): string | null {
  const problem = textProblem(value);
  if (problem !== null) return problem;
  const author = value as string;
  if (author.trim().length < L.author.min) return 'is required';
  if (codePoints(author) > L.author.max) return `must be at most ${L.author.max} characters long`;
  const invisible = formatCharacterProblem(author);
  if (invisible !== null) return invisible;
  // Only fillers that render as nothing (U+3164...): the name would be the empty name.
  if (normalizeAuthor(author) === '') return 'must contain a visible character';
  return null;
}

/** `null` or the empty string mean "no producer". */
export function checkProducer(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const problem = textProblem(value);
  if (problem !== null) return problem;
  if (codePoints(value as string) > L.producer.max) return `must be at most ${L.producer.max} characters long`;
  return formatCharacterProblem(value as string);
}

export function checkDescription(value: unknown): string | null {
  const problem = textProblem(value, true);
  if (problem !== null) return problem;
  if (codePoints(value as string) > L.description.max) return `must be at most ${L.description.max} characters long`;
  return formatCharacterProblem(value as string, true);
}

export function checkAge(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be a whole number';
  if (value < L.age.min || value > L.age.max) return `must be between ${L.age.min} and ${L.age.max}`;
  return null;
}

/** Accepts either case; the stored form is upper case (see normalizeCountry). */
export function checkCountry(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return 'is required';
  if (!ISO_3166_ALPHA2_CODES.has(value.toUpperCase())) return 'must be an ISO 3166-1 alpha-2 country code';
  return null;
}

export function checkGender(value: unknown): string | null {
  if (!(GENDERS as readonly unknown[]).includes(value)) return `must be one of ${GENDERS.join(', ')}`;
  return null;
}

export function checkRole(value: unknown): string | null {
  if (!(ROLES as readonly unknown[]).includes(value)) return `must be one of ${ROLES.join(', ')}`;
  return null;
}

export const isGender = (value: unknown): value is Gender => checkGender(value) === null;
export const isRole = (value: unknown): value is Role => checkRole(value) === null;

/** A presented login (username or email): only its shape, never whether it exists. */
export function checkLogin(value: unknown): string | null {
  const problem = textProblem(value);
  if (problem !== null) return problem;
  const login = value as string;
  if (login.trim() === '') return 'is required';
  if (codePoints(login) > L.login.max) return `must be at most ${L.login.max} characters long`;
  return null;
}

/** An optional device name given at Login: single-line text without invisible characters, at most 64 characters. */
export function checkDeviceName(value: unknown): string | null {
  if (value === undefined || value === '') return null;
  const problem = textProblem(value);
  if (problem !== null) return problem;
  const name = value as string;
  if (name.trim() === '') return 'must not be only spaces';
  const invisible = formatCharacterProblem(name, true);
  if (invisible !== null) return invisible;
  if (codePoints(name) > L.deviceName.max) return `must be at most ${L.deviceName.max} characters long`;
  return null;
}

/** A user agent as kept with a session: control and format characters dropped, cut to 256 characters; null when empty. */
export function cleanUserAgent(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = [...value.replace(new RegExp(CONTROL_CHARACTER, 'gu'), '').replace(new RegExp(FORMAT_CHARACTER, 'gu'), '').replace(new RegExp(LONE_SURROGATE, 'g'), '')]
    .slice(0, L.userAgent.max)
    .join('')
    .trim();
  return cleaned === '' ? null : cleaned;
}

/** An admin's reason for disabling an account: required, at most 500 characters, no invisible characters. */
export function checkReason(value: unknown): string | null {
  const problem = textProblem(value);
  if (problem !== null) return problem;
  const reason = value as string;
  if (reason.trim() === '') return 'is required';
  if (codePoints(reason) > L.reason.max) return `must be at most ${L.reason.max} characters long`;
  return formatCharacterProblem(reason);
}

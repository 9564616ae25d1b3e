import { canonicalAccountId, type Account, type Gender } from '../domain/account.model.js';
import { readPasswordHash } from '../crypto/password-hash.codec.js';
import { FieldViolations } from './field-violations.errors.js';
import { checkAge, checkAuthor, checkCountry, checkDescription, checkEmail, checkGender, checkProducer, checkUsername } from './field.rules.js';

/** The fields of one imported account (a JSON line, or a CSV row under its header), snake_case as in the proto. */
export type ImportFields = Record<string, unknown>;

const trimmed = (value: unknown): unknown => (typeof value === 'string' ? value.trim() : value);
const absent = (value: unknown): boolean => value === undefined || value === null || value === '';
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks an imported account with the rules of a registration (username, email, profile fields), plus what an import
 * brings instead of a password: `id` (a UUID, the key that makes a re-run idempotent), `kind` (`user` or `artist`),
 * `password_hash` (bcrypt, argon2id, scrypt or pbkdf2-sha256, within the verifiable bounds), an optional `role`
 * (USER or ADMIN for a user, ARTIST for an artist) and an optional `created_at` (ISO 8601 with a zone; default `now`).
 * `age` may be a number or a string of digits (CSV). Returns the account to store, or every violation found.
 */
export function validateImportedAccount(fields: ImportFields, now: Date): Account | FieldViolations {
  const violations = new FieldViolations();
  const id = canonicalAccountId(fields['id']);
  if (id === null) violations.add('id', absent(fields['id']) ? 'is required' : 'must be a UUID');
  const kind = fields['kind'];
  if (kind !== 'user' && kind !== 'artist') violations.add('kind', 'must be user or artist');
  const username = fields['username'];
  const email = trimmed(fields['email']);
  violations.add('username', checkUsername(username));
  violations.add('email', checkEmail(email));
  const hash = fields['password_hash'];
  if (typeof hash !== 'string' || hash === '') violations.add('password_hash', 'is required');
  else {
    const reading = readPasswordHash(hash);
    if (!reading.ok) violations.add('password_hash', reading.problem);
  }
  violations.add('country', checkCountry(fields['country']));
  const role = absent(fields['role']) ? (kind === 'artist' ? 'ARTIST' : 'USER') : fields['role'];
  const roles = kind === 'artist' ? ['ARTIST'] : ['USER', 'ADMIN'];
  if (!roles.includes(role as string)) violations.add('role', `must be ${roles.join(' or ')} for ${kind === 'artist' ? 'an artist' : 'a user'}`);
  let createdAt = now;
  if (!absent(fields['created_at'])) {
    const text = fields['created_at'];
    const parsed = typeof text === 'string' && ISO_INSTANT.test(text) ? new Date(text) : null;
    if (parsed === null || Number.isNaN(parsed.getTime()) || parsed.getTime() > now.getTime()) {
      violations.add('created_at', 'must be an ISO 8601 instant with a time zone, not in the future');
    } else createdAt = parsed;
  }

  let profile: Record<string, unknown> = {};
  if (kind === 'user') {
    const ageText = fields['age'];
    const age = typeof ageText === 'string' && /^\d{1,3}$/.test(ageText) ? Number(ageText) : ageText;
    violations.add('gender', checkGender(fields['gender']));
    violations.add('age', checkAge(age));
    profile = { gender: fields['gender'] as Gender, age };
  } else if (kind === 'artist') {
    const author = trimmed(fields['author']);
    const description = absent(fields['description']) ? '' : fields['description'];
    violations.add('author', checkAuthor(author));
    violations.add('producer', checkProducer(fields['producer']));
    violations.add('description', checkDescription(description));
    const producer = typeof fields['producer'] === 'string' && fields['producer'].trim() !== '' ? fields['producer'].trim() : null;
    profile = { author, producer, description };
  }
  if (!violations.isEmpty()) return violations;
  return {
    id: id!,
    kind,
    role,
    username,
    email,
    passwordHash: hash,
    country: (fields['country'] as string).toUpperCase(),
    createdAt,
    updatedAt: createdAt,
    // An imported account starts unverified, enabled and not deleted, as a stored row without these columns does.
    emailVerifiedAt: null,
    disabled: null,
    deletedAt: null,
    ...profile,
  } as Account;
}

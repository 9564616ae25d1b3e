import type { AccountPatch, Gender } from '../domain/account.model.js';
import type {
  RegisterArtistInput,
  RegisterUserInput,
  UpdateArtistInput,
  UpdateUserInput,
} from '../service/auth-service.types.js';
import { FieldViolations } from './field-violations.errors.js';
import {
  checkAge,
  checkAuthor,
  checkCountry,
  checkDescription,
  checkEmail,
  checkGender,
  checkNewPassword,
  checkProducer,
  checkUsername,
} from './field.rules.js';

// Validators return the values to store. The only rewrites are harmless ones: surrounding
// whitespace is trimmed from email, author and producer (never meaningful there), the country
// is upper-cased, and an empty producer means "none". Nothing else is changed silently.

const trimmed = (value: unknown): unknown => (typeof value === 'string' ? value.trim() : value);
const producerOrNull = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

export interface ValidUserRegistration {
  username: string;
  email: string;
  password: string;
  gender: Gender;
  country: string;
  age: number;
}

export interface ValidArtistRegistration {
  username: string;
  email: string;
  password: string;
  author: string;
  producer: string | null;
  country: string;
  description: string;
}

/** Checks every field of a user registration; throws VALIDATION_FAILED listing all broken fields. `maxPasswordBytes`: the hasher's. */
export function validateUserRegistration(input: RegisterUserInput, maxPasswordBytes?: number): ValidUserRegistration {
  const email = trimmed(input.email);
  const violations = new FieldViolations();
  violations.add('username', checkUsername(input.username));
  violations.add('email', checkEmail(email));
  violations.add('password', checkNewPassword(input.password, maxPasswordBytes));
  violations.add('gender', checkGender(input.gender));
  violations.add('country', checkCountry(input.country));
  violations.add('age', checkAge(input.age));
  violations.throwIfAny();
  return {
    username: input.username,
    email: email as string,
    password: input.password,
    gender: input.gender,
    country: input.country.toUpperCase(),
    age: input.age,
  };
}

/** Checks every field of an artist registration; throws VALIDATION_FAILED listing all broken fields. `maxPasswordBytes`: the hasher's. */
export function validateArtistRegistration(input: RegisterArtistInput, maxPasswordBytes?: number): ValidArtistRegistration {
  const email = trimmed(input.email);
  const author = trimmed(input.author);
  const description = input.description ?? '';
  const violations = new FieldViolations();
  violations.add('username', checkUsername(input.username));
  violations.add('email', checkEmail(email));
  violations.add('password', checkNewPassword(input.password, maxPasswordBytes));
  violations.add('author', checkAuthor(author));
  violations.add('producer', checkProducer(input.producer));
  violations.add('country', checkCountry(input.country));
  violations.add('description', checkDescription(description));
  violations.throwIfAny();
  return {
    username: input.username,
    email: email as string,
    password: input.password,
    author: author as string,
    producer: producerOrNull(input.producer),
    country: input.country.toUpperCase(),
    description,
  };
}

/** The fields every account kind has (username, email, country): checked into `violations` when present. */
function accountFieldsPatch(input: { username?: string; email?: string; country?: string }, violations: FieldViolations): AccountPatch {
  const patch: AccountPatch = {};
  if (input.username !== undefined) {
    violations.add('username', checkUsername(input.username));
    patch.username = input.username;
  }
  if (input.email !== undefined) {
    const email = trimmed(input.email);
    violations.add('email', checkEmail(email));
    patch.email = email as string;
  }
  if (input.country !== undefined) {
    violations.add('country', checkCountry(input.country));
    patch.country = String(input.country).toUpperCase();
  }
  return patch;
}

/** The patch of a user update: only fields present (not undefined) are checked and returned. */
export function validateUserPatch(input: UpdateUserInput): AccountPatch {
  const violations = new FieldViolations();
  const patch = accountFieldsPatch(input, violations);
  if (input.gender !== undefined) {
    violations.add('gender', checkGender(input.gender));
    patch.gender = input.gender;
  }
  if (input.age !== undefined) {
    violations.add('age', checkAge(input.age));
    patch.age = input.age;
  }
  violations.throwIfAny();
  return patch;
}

/** The patch of an artist update: only fields present are checked; `producer` null or "" clears it. */
export function validateArtistPatch(input: UpdateArtistInput): AccountPatch {
  const violations = new FieldViolations();
  const patch = accountFieldsPatch(input, violations);
  if (input.author !== undefined) {
    const author = trimmed(input.author);
    violations.add('author', checkAuthor(author));
    patch.author = author as string;
  }
  if (input.producer !== undefined) {
    violations.add('producer', checkProducer(input.producer));
    patch.producer = producerOrNull(input.producer);
  }
  if (input.description !== undefined) {
    violations.add('description', checkDescription(input.description));
    patch.description = input.description;
  }
  violations.throwIfAny();
  return patch;
}

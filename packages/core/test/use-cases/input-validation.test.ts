import { describe, expect, it } from 'vitest';
import {
  ISO_3166_ALPHA2_CODES,
  isDomainError,
  validateArtistPatch,
  validateArtistRegistration,
  validateUserPatch,
  validateUserRegistration,
} from '../../src/index.js';
import type { FieldViolation, RegisterArtistInput, RegisterUserInput } from '../../src/index.js';

const validUser: RegisterUserInput = {
  username: 'ada.lovelace',
  email: 'ada@example.com',
  password: 'correct horse',
  gender: 'female',
  country: 'GB',
  age: 36,
};

const validArtist: RegisterArtistInput = {
  username: 'sigur-ros',
  email: 'band@example.is',
  password: 'correct horse',
  author: 'Sigur Rós',
  producer: 'Ken Thomas',
  country: 'IS',
  description: 'Post-rock.\nFrom Reykjavík.',
};

/** The violations a call throws, or [] when it does not throw. */
function violationsOf(call: () => unknown): FieldViolation[] {
  try {
    call();
    return [];
  } catch (error) {
    if (!isDomainError(error, 'VALIDATION_FAILED')) throw error;
    return [...error.violations];
  }
}

const fieldsOf = (call: () => unknown): string[] => violationsOf(call).map((v) => v.field);
const userWith = (patch: Record<string, unknown>) => () => validateUserRegistration({ ...validUser, ...patch } as RegisterUserInput);
const artistWith = (patch: Record<string, unknown>) => () =>
  validateArtistRegistration({ ...validArtist, ...patch } as RegisterArtistInput);

describe('registration input', () => {
  it('accepts valid users and artists, upper-casing the country and trimming email and author', () => {
    expect(validateUserRegistration({ ...validUser, country: 'gb', email: ' ada@example.com ' })).toMatchObject({
      country: 'GB',
      email: 'ada@example.com',
    });
    expect(validateArtistRegistration({ ...validArtist, author: '  Sigur Rós ', producer: '' })).toMatchObject({
      author: 'Sigur Rós',
      producer: null,
    });
  });

  it.each([
    ['ab', 'too short'],
    ['a'.repeat(33), 'too long'],
    ['ada lovelace', 'a space'],
    ['adä', 'a non-ASCII letter'],
    ['аdmin', 'a Cyrillic look-alike'],
    ['ada@home', 'an @'],
    ['ada\u0000x', 'a NUL'],
  ])('rejects the username %j (%s) on field username', (username) => {
    expect(fieldsOf(userWith({ username }))).toEqual(['username']);
  });

  it.each(['abc', 'A.b-c_9', 'x'.repeat(32)])('accepts the username %j', (username) => {
    expect(fieldsOf(userWith({ username }))).toEqual([]);
  });

  it.each([
    'no-at-sign',
    'two@@example.com',
    'a b@example.com',
    'ada@localhost',
    'ada@-example.com',
    `${'a'.repeat(65)}@example.com`,
    `a@${'b'.repeat(250)}.com`,
    'ada@exa\u0000mple.com',
  ])('rejects the email %j on field email', (email) => {
    expect(fieldsOf(userWith({ email }))).toEqual(['email']);
  });

  it.each(['ada+tag@example.co.uk', 'o\'brien@example.ie', 'jörg@bücher.de'])('accepts the email %j', (email) => {
    expect(fieldsOf(userWith({ email }))).toEqual([]);
  });

  it('measures the password in UTF-8 bytes: 72 are fine, 73 are refused with a clear message, never truncated', () => {
    expect(fieldsOf(userWith({ password: 'é'.repeat(36) }))).toEqual([]); // 72 bytes
    const violations = violationsOf(userWith({ password: `${'é'.repeat(36)}x` })); // 73 bytes, 37 characters
    expect(violations).toEqual([{ field: 'password', description: 'must be at most 72 bytes in UTF-8' }]);
  });

  it.each([
    ['short', 'shorter than 8 characters'],
    ['', 'empty'],
    ['pass\u0000word', 'containing NUL'],
  ])('rejects the password %j (%s) on field password', (password) => {
    expect(fieldsOf(userWith({ password }))).toEqual(['password']);
  });

  it.each([0, 151, 30.5, Number.NaN, '30'])('rejects the age %j on field age', (age) => {
    expect(fieldsOf(userWith({ age }))).toEqual(['age']);
  });

  it.each([1, 150])('accepts the age %j', (age) => {
    expect(fieldsOf(userWith({ age }))).toEqual([]);
  });

  it.each(['XX', 'UK', 'EU', 'GBR', '', 'g'])('rejects the country %j on field country', (country) => {
    expect(fieldsOf(userWith({ country }))).toEqual(['country']);
  });

  it('ships the 249 officially assigned ISO 3166-1 alpha-2 codes', () => {
    expect(ISO_3166_ALPHA2_CODES.size).toBe(249);
    for (const code of ['SE', 'IS', 'AX', 'SS', 'BQ', 'CW', 'SX', 'US']) expect(ISO_3166_ALPHA2_CODES.has(code)).toBe(true);
  });

  it.each(['other', 'FEMALE', undefined])('rejects the gender %j on field gender', (gender) => {
    expect(fieldsOf(userWith({ gender }))).toEqual(['gender']);
  });

  it.each([
    [{ author: '' }, 'author'],
    [{ author: '   ' }, 'author'],
    [{ author: 'a'.repeat(65) }, 'author'],
    [{ author: 'Tab\tName' }, 'author'],
    [{ producer: 'p'.repeat(65) }, 'producer'],
    [{ producer: 'Ken\u0007' }, 'producer'],
    [{ description: 'd'.repeat(1001) }, 'description'],
    [{ description: 'bell \u0007' }, 'description'],
    [{ description: 'lone \ud800 surrogate' }, 'description'],
  ])('rejects artist input %j on its field', (patch, field) => {
    expect(fieldsOf(artistWith(patch))).toEqual([field]);
  });

  it('counts characters, not bytes, for text limits and allows line breaks in the description', () => {
    expect(fieldsOf(artistWith({ author: '🎵'.repeat(64), description: 'é'.repeat(1000), producer: null }))).toEqual([]);
    expect(fieldsOf(artistWith({ description: 'line one\r\nline two\ttabbed' }))).toEqual([]);
  });

  it('lists every broken field at once', () => {
    const fields = fieldsOf(() =>
      validateUserRegistration({ username: 'x', email: 'nope', password: 'short', gender: 'x', country: 'ZZ', age: 0 } as never),
    );
    expect(fields.sort()).toEqual(['age', 'country', 'email', 'gender', 'password', 'username']);
  });

  it('reports missing fields (from JavaScript callers) as required, not as a crash', () => {
    const violations = violationsOf(() => validateArtistRegistration({} as RegisterArtistInput));
    expect(violations.map((v) => v.field).sort()).toEqual(['author', 'country', 'email', 'password', 'username']);
    expect(violations.find((v) => v.field === 'username')?.description).toBe('is required');
  });
});

describe('invisible and direction-changing characters (Unicode format characters)', () => {
  const hidden = [
    ['a zero-width space', '\u200b'],
    ['a zero-width joiner', '\u200d'],
    ['a right-to-left override', '\u202e'],
    ['a left-to-right isolate', '\u2066'],
    ['a soft hyphen', '\u00ad'],
    ['a byte-order mark', '\ufeff'],
  ] as const;

  it.each(hidden)('refuses %s in author, producer and description, naming the code point', (_name, char) => {
    const violations = violationsOf(artistWith({ author: `Dra${char}ke`, producer: `Ken${char}Thomas`, description: `Post-rock${char}.` }));
    expect(violations.map((v) => v.field).sort()).toEqual(['author', 'description', 'producer']);
    const codePoint = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    for (const violation of violations) expect(violation.description).toContain(codePoint);
  });

  it.each(hidden)('refuses %s in the local part of an email, at registration and in an update', (_name, char) => {
    expect(fieldsOf(userWith({ email: `ada${char}@example.com` }))).toEqual(['email']);
    expect(fieldsOf(() => validateUserPatch({ id: 'x', email: `a${char}da@example.com` }))).toEqual(['email']);
    expect(fieldsOf(() => validateArtistPatch({ id: 'x', author: `Sigur${char} Rós`, producer: `x${char}y` })).sort()).toEqual(['author', 'producer']);
  });

  it('refuses a stage name made only of characters that render as nothing (Hangul fillers)', () => {
    expect(violationsOf(artistWith({ author: '\u3164\u3164' }))).toEqual([{ field: 'author', description: 'must contain a visible character' }]);
  });

  it('keeps refusing them where rules already did: usernames are ASCII, email domains letters and digits', () => {
    expect(fieldsOf(userWith({ username: 'ada​' }))).toEqual(['username']);
    expect(fieldsOf(userWith({ email: 'ada@exa​mple.com' }))).toEqual(['email']);
  });

  it('lets emoji sequences through in a description (a joiner between emoji, a flag with tags), and nowhere else', () => {
    const emoji = 'Singer 👩‍🎤 👩🏽‍🎤, pride 🏳️‍🌈, from 🏴󠁧󠁢󠁳󠁣󠁴󠁿';
    expect(fieldsOf(artistWith({ description: emoji }))).toEqual([]);
    expect(fieldsOf(artistWith({ description: 'joiner‍between letters' }))).toEqual(['description']);
    expect(fieldsOf(artistWith({ author: 'Band 👩‍🎤' }))).toEqual(['author']);
  });
});

describe('update patches', () => {
  it('contain only the fields present', () => {
    expect(validateUserPatch({ id: 'x', age: 40 })).toEqual({ age: 40 });
    expect(validateUserPatch({ id: 'x' })).toEqual({});
    expect(validateArtistPatch({ id: 'x', description: 'new' })).toEqual({ description: 'new' });
  });

  it('clear the producer with null or an empty string', () => {
    expect(validateArtistPatch({ id: 'x', producer: null })).toEqual({ producer: null });
    expect(validateArtistPatch({ id: 'x', producer: '' })).toEqual({ producer: null });
  });

  it('validate each present field and name it', () => {
    expect(fieldsOf(() => validateUserPatch({ id: 'x', age: 200, country: 'se', username: 'ok_name' }))).toEqual(['age']);
    expect(fieldsOf(() => validateArtistPatch({ id: 'x', author: '', email: 'bad' })).sort()).toEqual(['author', 'email']);
    expect(validateUserPatch({ id: 'x', country: 'se' })).toEqual({ country: 'SE' });
  });
});

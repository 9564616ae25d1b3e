import { describe, expect, it } from 'vitest';
import {
  DOMAIN_ERRORS,
  DomainError,
  alreadyTaken,
  dependencyUnavailable,
  errorTranslator,
  isDomainError,
  translatingErrors,
  validationError,
} from '../../src/index.js';

describe('a domain error is made from its code', () => {
  it('carries the message and status of its row of the table when the thrower says nothing more', () => {
    const error = new DomainError('ACCOUNT_NOT_FOUND');
    expect(error).toMatchObject({ code: 'ACCOUNT_NOT_FOUND', message: 'no such account', status: 'NOT_FOUND', violations: [] });
    expect(new DomainError('LOGIN_THROTTLED', { retryAfterMs: 1_500 })).toMatchObject({
      message: DOMAIN_ERRORS.LOGIN_THROTTLED.message,
      status: 'RESOURCE_EXHAUSTED',
      retryAfterMs: 1_500,
    });
  });

  it('takes a more specific message from its thrower, keeping the status of its code', () => {
    const error = new DomainError('PERMISSION_DENIED', { message: 'not allowed to call GetUser for this account' });
    expect(error).toMatchObject({ message: 'not allowed to call GetUser for this account', status: 'PERMISSION_DENIED' });
  });

  it('a validation error names every field in its message and its violations', () => {
    const error = validationError([{ field: 'age', description: 'must be 1 to 150' }, { field: 'country', description: 'unknown code' }]);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 'INVALID_ARGUMENT', message: 'invalid age, country: must be 1 to 150; unknown code' });
    expect(error.violations.map((v) => v.field)).toEqual(['age', 'country']);
  });

  it('a taken value names its field; the driver error stays in the cause, out of the message', () => {
    const cause = new Error('duplicate key value violates unique constraint "accounts_email_key" (a@b.c)');
    expect(alreadyTaken('email', cause)).toMatchObject({ code: 'EMAIL_TAKEN', message: 'email is already taken', status: 'ALREADY_EXISTS', cause });
    expect(alreadyTaken('author')).toMatchObject({ code: 'AUTHOR_TAKEN', message: 'author is already taken' });
  });

  it('an unavailable dependency is named, never described by its driver', () => {
    const error = dependencyUnavailable('redis', new Error('connect ECONNREFUSED 10.0.0.7:6379'));
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', status: 'UNAVAILABLE', message: 'redis is unavailable' });
  });
});

describe('an adapter\'s error translator', () => {
  const translate = errorTranslator((error) => ((error as { code?: string }).code === 'DOWN' ? dependencyUnavailable('store', error) : undefined));

  it('turns the failures its classification knows into domain errors and returns every other failure unchanged', () => {
    expect(isDomainError(translate(Object.assign(new Error('x'), { code: 'DOWN' })), 'DEPENDENCY_UNAVAILABLE')).toBe(true);
    const bug = new TypeError('cannot read properties of undefined');
    expect(translate(bug)).toBe(bug);
  });

  it('lets a domain error through untouched, so translating twice changes nothing', () => {
    const taken = alreadyTaken('username');
    expect(translate(taken)).toBe(taken);
    expect(translate(translate(Object.assign(new Error('x'), { code: 'DOWN' })))).toMatchObject({ message: 'store is unavailable' });
  });

  it('applied around an operation, rethrows its failure translated and passes its result through', async () => {
    await expect(translatingErrors(translate, async () => 42)).resolves.toBe(42);
    await expect(translatingErrors(translate, () => Promise.reject(Object.assign(new Error('x'), { code: 'DOWN' })))).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
  });
});

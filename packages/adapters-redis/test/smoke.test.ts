import { expect, test } from 'vitest';
import { DomainError, DEFAULT_AUTH_SERVICE_OPTIONS } from '@authsvc/core';
test('core resolves from source', () => { expect(new DomainError('PERMISSION_DENIED','x').code).toBe('PERMISSION_DENIED'); expect(DEFAULT_AUTH_SERVICE_OPTIONS.refreshGraceMs).toBe(10000); });

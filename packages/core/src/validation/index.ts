export { VALIDATION_LIMITS } from './validation-limits.rules.js';
export { ISO_3166_ALPHA2_CODES } from './country-codes.rules.js';
export * from './account-input.rules.js';
export { checkLimit } from './rate-limit.rules.js';
export * from './attempt-limits.rules.js';
export * from './account-import.rules.js';
export { checkMailedToken } from './mailed-token.rules.js';

export { VALIDATION_LIMITS } from './validation.limits.js';
export { ISO_3166_ALPHA2_CODES } from './country-codes.js';
export * from './account-input.validator.js';

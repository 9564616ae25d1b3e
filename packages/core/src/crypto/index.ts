// The production implementations of the crypto and system ports.
export * from './bcrypt-password-hasher.adapter.js';
export * from './jose-access-tokens.adapter.js';
export * from './signing-key.model.js';
export * from './signing-key-set.codec.js';
export * from './refresh-token.codec.js';
export * from './system-clock.adapter.js';
export * from './random-id-generator.adapter.js';
export * from './mail-token-sealer.codec.js';

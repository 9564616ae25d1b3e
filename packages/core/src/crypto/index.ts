// The production implementations of the crypto and system ports.
export * from './bcrypt-password-hasher.adapter.js';
export * from './phc-password-hasher.adapter.js';
export * from './password-hash.codec.js';
export * from './jose-access-tokens.adapter.js';
export * from './signing-key.model.js';
export * from './signing-key-set.codec.js';
export * from './refresh-token.codec.js';
export * from './system-clock.adapter.js';
export * from './random-id-generator.adapter.js';
export * from './secret-box.codec.js';
export * from './totp.codec.js';
export * from './one-time-secret.codec.js';
export * from './mail-token-sealer.codec.js';

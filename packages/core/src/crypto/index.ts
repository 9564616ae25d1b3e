// Exports of src/crypto: the production implementations of the crypto and system ports.
export * from './bcrypt.password-hasher.js';
export * from './jose.access-tokens.js';
export * from './signing-key.js';
export * from './signing-key-set.parser.js';
export * from './refresh-token.codec.js';
export * from './system.clock.js';
export * from './random.id-generator.js';

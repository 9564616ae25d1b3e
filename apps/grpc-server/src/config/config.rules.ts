import { isIP } from 'node:net';
import type { ConfigProblem } from './config.errors.js';
import { isEmbedded, type RawConfig } from './config.types.js';
import { OPTION_ENTRIES } from './option-table.config.js';

function problem(yamlKey: string, message: string): ConfigProblem {
  const entry = OPTION_ENTRIES.find((e) => e.yamlKey === yamlKey);
  if (!entry) throw new Error(`no option ${yamlKey}`);
  return { envVar: entry.envVar, yamlKey, message };
}

/** Rules that involve more than one setting. */
export function checkConfigRules(c: RawConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (c.grpc.tlsCert !== undefined && c.grpc.tlsKey === undefined) problems.push(problem('grpc.tlsKey', 'required when grpc.tlsCert is set'));
  if (c.grpc.tlsKey !== undefined && c.grpc.tlsCert === undefined) problems.push(problem('grpc.tlsCert', 'required when grpc.tlsKey is set'));
  if (c.grpc.tlsClientCa !== undefined && c.grpc.tlsCert === undefined) {
    problems.push(problem('grpc.tlsCert', 'required when grpc.tlsClientCa is set (mutual TLS needs TLS)'));
  }
  if (c.http.port !== 0 && c.http.port === c.grpc.port && c.http.host === c.grpc.host) {
    problems.push(problem('http.port', 'must differ from grpc.port'));
  }
  if (c.web.port !== undefined && c.web.port !== 0 && c.web.host === c.grpc.host && (c.web.port === c.grpc.port || c.web.port === c.http.port)) {
    problems.push(problem('web.port', 'must differ from grpc.port and http.port'));
  }
  for (const origin of c.web.allowedOrigins ?? []) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) problems.push(problem('web.allowedOrigins', `${origin} is not an origin (scheme://host[:port], no path)`));
  }
  if (c.webauthn.rpId !== undefined && c.webauthn.origins === undefined) problems.push(problem('webauthn.origins', 'required when webauthn.rpId is set'));
  if (c.webauthn.origins !== undefined && c.webauthn.rpId === undefined) problems.push(problem('webauthn.rpId', 'required when webauthn.origins is set'));
  for (const origin of c.webauthn.origins ?? []) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) problems.push(problem('webauthn.origins', `${origin} is not an origin (scheme://host[:port], no path)`));
  }
  if (c.redis.sentinels !== undefined && c.redis.clusterNodes !== undefined) {
    problems.push(problem('redis.clusterNodes', 'cannot be combined with redis.sentinels'));
  }
  if ((c.redis.sentinels !== undefined || c.redis.clusterNodes !== undefined) && c.redis.url === undefined) {
    problems.push(problem('redis.url', 'required when redis.sentinels or redis.clusterNodes is set (it carries the credentials and db)'));
  }
  if (c.kafka.saslMechanism !== undefined) {
    if (c.kafka.saslUsername === undefined) problems.push(problem('kafka.saslUsername', 'required when kafka.saslMechanism is set'));
    if (c.kafka.saslPassword === undefined) problems.push(problem('kafka.saslPassword', 'required when kafka.saslMechanism is set'));
  }
  if (c.session.refreshTokenSecret !== undefined && c.session.refreshTokenSecretFile !== undefined) {
    problems.push(problem('session.refreshTokenSecretFile', 'cannot be combined with session.refreshTokenSecret; set one'));
  }
  if (!isEmbedded(c)) {
    // With a shared database several instances may run: each must sign and verify with the same keys and secret,
    // so nothing is generated per instance.
    if (c.jwt.keysFile === undefined) {
      problems.push(problem('jwt.keysFile', 'required when database.url is set (every instance must share the signing keys); create one with `keys generate`'));
    }
    if (c.session.refreshTokenSecret === undefined && c.session.refreshTokenSecretFile === undefined) {
      problems.push(problem('session.refreshTokenSecret', 'required (or session.refreshTokenSecretFile) when database.url is set (every instance must share it)'));
    }
  }
  return problems;
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and "localhost": addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) !== 6) return false;
  // The URL parser writes an IPv6 address in its one canonical form (::1, ::ffff:7f00:1 for ::ffff:127.0.0.1).
  const canonical = new URL(`http://[${bare}]`).hostname;
  return canonical === '[::1]' || canonical.startsWith('[::ffff:7f');
}

/**
 * Rules for serving, beyond what every command checks: embedded mode with a signing key or refresh-token secret it
 * generated itself is a try-out setup, so it serves on loopback only unless allowInsecureEmbedded says otherwise.
 * (The image binds 0.0.0.0 inside its container; `docker run -p 127.0.0.1:...` keeps it on the host's loopback.)
 */
export function checkServeRules(c: RawConfig): ConfigProblem[] {
  if (!isEmbedded(c) || c.allowInsecureEmbedded) return [];
  const generated = [
    ...(c.jwt.keysFile === undefined ? ['signing key'] : []),
    ...(c.session.refreshTokenSecret === undefined && c.session.refreshTokenSecretFile === undefined ? ['refresh-token secret'] : []),
  ];
  if (generated.length === 0) return [];
  const exposed = [
    ...(isLoopbackHost(c.grpc.host) ? [] : [`grpc.host ${c.grpc.host}`]),
    ...(c.http.port === 0 || isLoopbackHost(c.http.host) ? [] : [`http.host ${c.http.host}`]),
    ...(c.web.port === undefined || isLoopbackHost(c.web.host) ? [] : [`web.host ${c.web.host}`]),
  ];
  if (exposed.length === 0) return [];
  return [
    problem(
      'allowInsecureEmbedded',
      `embedded mode (no database.url) with a generated ${generated.join(' and ')} serves on loopback only, not on ${exposed.join(' and ')}: ` +
        'bind 127.0.0.1, give jwt.keysFile and session.refreshTokenSecretFile, or set this to true to accept it (see docs/operations.md)',
    ),
  ];
}

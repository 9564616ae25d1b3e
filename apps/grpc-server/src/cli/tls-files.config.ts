import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/config.errors.js';
import type { AppConfig } from '../config/config.types.js';
import { envVarOf } from '../config/option-table.config.js';
import type { GrpcTlsOptions } from '../grpc/index.js';

type TlsFileKey = 'tlsCert' | 'tlsKey' | 'tlsClientCa';

/**
 * The gRPC TLS material from the configured files, or undefined for plaintext. Every unreadable file is named in
 * one ConfigError (reading them one after the other, or racing them, would name only one per attempt).
 */
export async function loadGrpcTls(config: AppConfig): Promise<GrpcTlsOptions | undefined> {
  const { tlsCert, tlsKey, tlsClientCa } = config.grpc;
  if (tlsCert === undefined || tlsKey === undefined) return undefined;
  const files: [TlsFileKey, string][] = [['tlsCert', tlsCert], ['tlsKey', tlsKey]];
  if (tlsClientCa !== undefined) files.push(['tlsClientCa', tlsClientCa]);
  const results = await Promise.allSettled(files.map(([, file]) => readFile(file)));
  const issues = results.flatMap((result, i) => {
    if (result.status === 'fulfilled') return [];
    const [key, file] = files[i]!;
    const code = (result.reason as NodeJS.ErrnoException).code ?? 'unreadable';
    return [{ envVar: envVarOf(['grpc', key]), yamlKey: `grpc.${key}`, message: `cannot read ${file} (${code})` }];
  });
  if (issues.length > 0) throw new ConfigError(issues);
  const [cert, key, clientCa] = results.map((result) => (result as PromiseFulfilledResult<Buffer>).value);
  return clientCa === undefined ? { cert: cert!, key: key! } : { cert: cert!, key: key!, clientCa };
}

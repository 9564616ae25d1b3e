import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/config-error.js';
import type { AppConfig } from '../config/config.types.js';
import { envVarOf } from '../config/option-table.js';
import type { GrpcTlsOptions } from '../grpc/index.js';

async function read(file: string, key: 'tlsCert' | 'tlsKey' | 'tlsClientCa'): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([{ envVar: envVarOf(['grpc', key]), yamlKey: `grpc.${key}`, message: `cannot read ${file} (${code})` }]);
  }
}

/** The gRPC TLS material from the configured files, or undefined for plaintext. */
export async function loadGrpcTls(config: AppConfig): Promise<GrpcTlsOptions | undefined> {
  const { tlsCert, tlsKey, tlsClientCa } = config.grpc;
  if (tlsCert === undefined || tlsKey === undefined) return undefined;
  const [cert, key] = await Promise.all([read(tlsCert, 'tlsCert'), read(tlsKey, 'tlsKey')]);
  return tlsClientCa === undefined ? { cert, key } : { cert, key, clientCa: await read(tlsClientCa, 'tlsClientCa') };
}

import { fileURLToPath } from 'node:url';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';

/** The repository root, two levels above this file's folder. */
export const REPO_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Serializers of one unary method, as grpc-js's makeUnaryRequest wants them. */
export interface UnaryCodec {
  path: string;
  serialize: (value: unknown) => Buffer;
  deserialize: (bytes: Buffer) => unknown;
}

let definitions: Record<string, MethodDefinition<object, object>> | undefined;

/**
 * The AuthService methods, read from proto/auth/v1/auth.proto with proto-loader (protobufjs encoders), so
 * the load generator speaks the published contract and needs no build step. Field names are camelCase.
 */
export function authMethod(name: string): UnaryCodec {
  definitions ??= (() => {
    const pkg = loadSync('auth/v1/auth.proto', {
      includeDirs: [`${REPO_DIR}proto`],
      keepCase: false,
      longs: String,
      enums: Number,
      defaults: true,
      oneofs: true,
    });
    return pkg['auth.v1.AuthService'] as unknown as Record<string, MethodDefinition<object, object>>;
  })();
  const method = definitions[name];
  if (!method) throw new Error(`AuthService has no method ${name}`);
  return {
    path: method.path,
    serialize: method.requestSerialize as (value: unknown) => Buffer,
    deserialize: method.responseDeserialize as (bytes: Buffer) => unknown,
  };
}

/** The empty unary call of the transport baseline: zero-length messages both ways. */
export const EMPTY_METHOD: UnaryCodec = {
  path: '/bench.v1.Empty/Call',
  serialize: () => Buffer.alloc(0),
  deserialize: () => ({}),
};

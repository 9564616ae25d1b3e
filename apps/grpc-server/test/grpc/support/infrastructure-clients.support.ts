import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { credentials, loadPackageDefinition, makeClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';

const require = createRequire(import.meta.url);

/** grpc.health.v1.Health/Check: the status name (SERVING, NOT_SERVING...) or the gRPC error. */
export async function checkHealth(address: string, service: string): Promise<string> {
  const Health = makeClientConstructor(healthService as never, 'grpc.health.v1.Health');
  const client = new Health(address, credentials.createInsecure()) as unknown as Client & {
    check(request: { service: string }, callback: (error: ServiceError | null, response: { status: string }) => void): void;
  };
  try {
    return await new Promise((resolve, reject) => client.check({ service }, (error, response) => (error ? reject(error) : resolve(response.status))));
  } finally {
    client.close();
  }
}

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

/** One request on grpc.reflection.v1.ServerReflection/ServerReflectionInfo (what grpcurl does). */
export async function reflect(address: string, request: Record<string, string>): Promise<ReflectionResponse> {
  const protoPath = join(dirname(require.resolve('@grpc/reflection')), '../proto/grpc/reflection/v1/reflection.proto');
  const definition = loadPackageDefinition(loadSync(protoPath, { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true }));
  const ServerReflection = (definition as unknown as { grpc: { reflection: { v1: { ServerReflection: new (address: string, creds: unknown) => Client & Record<string, () => NodeJS.ReadWriteStream> } } } }).grpc.reflection.v1.ServerReflection;
  const client = new ServerReflection(address, credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) => {
      const stream = client['serverReflectionInfo']!() as unknown as NodeJS.EventEmitter & { write(m: unknown): void; end(): void };
      stream.on('data', (message: ReflectionResponse) => {
        resolve(message);
        stream.end();
      });
      stream.on('error', reject);
      stream.write(request);
    });
  } finally {
    client.close();
  }
}

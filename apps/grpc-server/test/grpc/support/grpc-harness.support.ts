import { status, type ServiceError } from '@grpc/grpc-js';
import { expect } from 'vitest';
import { TestClient, decodeStatusDetails } from '@authsvc/test-support/grpc';
import { createGrpcServer, ManualHealthReporter, type ClientAddressOptions, type GrpcServerHandle, type GrpcServerLimits } from '../../../src/grpc/index.js';
import { Gender, type RegisterUserRequest, type RegisterArtistRequest } from '@authsvc/proto/auth/v1/auth';
import { CapturedLogger } from './captured-logger.support.js';
import { inMemoryAuthService, type InMemoryService } from './in-memory-auth-service.support.js';

export interface Harness {
  client: TestClient;
  address: string;
  logger: CapturedLogger;
  health: ManualHealthReporter;
  core: InMemoryService;
  server: GrpcServerHandle;
  completed: { method: string; code: string; durationMs: number }[];
  close(): Promise<void>;
}

/** createGrpcServer on 127.0.0.1:0 over core's in-memory service, and a real generated client. */
export async function startHarness(
  options: {
    limits?: Partial<GrpcServerLimits>;
    maxLoginFailures?: number;
    hashCost?: number;
    hashQueueLimit?: number;
    /** AUTH_* settings of the service (limits). */
    env?: Record<string, string>;
    clientAddress?: ClientAddressOptions;
  } = {},
): Promise<Harness> {
  const core = await inMemoryAuthService({
    ...(options.maxLoginFailures === undefined ? {} : { maxLoginFailures: options.maxLoginFailures }),
    ...(options.hashCost === undefined ? {} : { hashCost: options.hashCost }),
    ...(options.hashQueueLimit === undefined ? {} : { hashQueueLimit: options.hashQueueLimit }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const logger = new CapturedLogger();
  const health = new ManualHealthReporter('SERVING');
  const completed: Harness['completed'] = [];
  const server = createGrpcServer({
    service: core.service,
    logger,
    health,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.clientAddress ? { clientAddress: options.clientAddress } : {}),
    onRpcCompleted: (method, code, durationMs) => completed.push({ method, code, durationMs }),
  });
  const port = await server.listen('127.0.0.1', 0);
  const address = `127.0.0.1:${port}`;
  const client = new TestClient(address);
  return {
    client,
    address,
    logger,
    health,
    core,
    server,
    completed,
    close: async () => {
      client.close();
      await server.shutdown(1_000);
      await core.close();
    },
  };
}

let counter = 0;
/** A unique, valid user registration. */
export function aUser(overrides: Partial<RegisterUserRequest> = {}): RegisterUserRequest {
  counter += 1;
  const name = `user${counter}_${Math.random().toString(36).slice(2, 8)}`;
  return { username: name, email: `${name}@example.com`, password: `pw-${name}-secret`, gender: Gender.GENDER_FEMALE, country: 'FR', age: 30, ...overrides };
}

export function anArtist(overrides: Partial<RegisterArtistRequest> = {}): RegisterArtistRequest {
  counter += 1;
  const name = `artist${counter}_${Math.random().toString(36).slice(2, 8)}`;
  return { username: name, email: `${name}@example.com`, password: `pw-${name}-secret`, author: `Stage ${name}`, country: 'DE', description: 'Makes music', ...overrides };
}

/** Asserts the gRPC status code and the ErrorInfo reason (domain auth.v1) of a failure; returns the decoded details. */
export function expectStatus(error: ServiceError, code: status, reason?: string): NonNullable<ReturnType<typeof decodeStatusDetails>> {
  expect({ code: status[error.code], details: error.details }).toMatchObject({ code: status[code] });
  const decoded = decodeStatusDetails(error.metadata);
  expect(decoded, 'grpc-status-details-bin trailer').not.toBeNull();
  expect(decoded!.status.code).toBe(code);
  if (reason !== undefined) {
    const info = decoded!.details.find((d) => d.kind === 'ErrorInfo');
    expect(info?.value).toMatchObject({ reason, domain: 'auth.v1' });
  }
  return decoded!;
}

/** Field names of the google.rpc.BadRequest detail. */
export function violatedFields(error: ServiceError): string[] {
  const decoded = decodeStatusDetails(error.metadata);
  const badRequest = decoded?.details.find((d) => d.kind === 'BadRequest');
  return badRequest?.kind === 'BadRequest' ? badRequest.value.fieldViolations.map((v) => v.field) : [];
}

import { EventEmitter } from 'node:events';
import { Metadata, status, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import type { AuthService } from '@authsvc/core';
import { describe, expect, it } from 'vitest';
import { unary } from '../../src/grpc/rpc-pipeline.js';
import { rpc } from '../../src/grpc/rpc-handler.js';
import { CapturedLogger } from './support/captured-logger.js';

/** The smallest stand-in for a grpc-js server call: the pipeline reads metadata, request and deadline. */
function aCall(deadline: Date | number, metadata = new Metadata()): ServerUnaryCall<object, object> {
  return Object.assign(new EventEmitter(), { metadata, request: {}, getDeadline: () => deadline, sendMetadata: () => undefined }) as unknown as ServerUnaryCall<object, object>;
}

function run(deadline: Date | number): Promise<{ error: ServiceError | null; handled: boolean; logger: CapturedLogger }> {
  const logger = new CapturedLogger();
  let handled = false;
  const handler = unary(
    { service: {} as AuthService, logger },
    rpc<object, object>({
      operation: 'GetJwks',
      handle: async () => {
        handled = true;
        return {};
      },
    }),
  );
  return new Promise((resolve) => handler(aCall(deadline), (error) => resolve({ error: error as ServiceError | null, handled, logger })));
}

describe('deadlines', () => {
  it('a call that arrives after its deadline is answered DEADLINE_EXCEEDED without running the handler', async () => {
    const result = await run(new Date(Date.now() - 1));
    expect(result.handled).toBe(false);
    expect(result.error?.code).toBe(status.DEADLINE_EXCEEDED);
    expect(result.logger.lines[0]!.fields).toMatchObject({ method: 'GetJwks', code: 'DEADLINE_EXCEEDED' });
  });

  it('a call with time left, or with no deadline, runs', async () => {
    expect(await run(Date.now() + 10_000)).toMatchObject({ handled: true, error: null });
    expect(await run(Infinity)).toMatchObject({ handled: true, error: null });
  });
});

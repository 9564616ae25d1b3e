import { EventEmitter } from 'node:events';
import { Metadata, status, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import type { AuthService } from '@authsvc/core';
import { describe, expect, it } from 'vitest';
import { callPipeline } from '../../src/grpc/call-pipeline.factory.js';
import { rpc } from '../../src/grpc/rpc-handler.types.js';
import { CapturedLogger } from './support/captured-logger.support.js';

/** The smallest stand-in for a grpc-js server call: the pipeline reads metadata, request, peer and deadline. */
function aCall(deadline: Date | number, metadata = new Metadata()): ServerUnaryCall<object, object> {
  const call = { metadata, request: {}, getDeadline: () => deadline, getPeer: () => '127.0.0.1:40000', sendMetadata: () => undefined };
  return Object.assign(new EventEmitter(), call) as unknown as ServerUnaryCall<object, object>;
}

function run(deadline: Date | number): Promise<{ error: ServiceError | null; handled: boolean; logger: CapturedLogger }> {
  const logger = new CapturedLogger();
  let handled = false;
  const handler = callPipeline({ service: {} as AuthService, logger })(
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

describe('the call signal handed to core', () => {
  /** Runs a handler that waits until its signal fires, then emits grpc-js's 'cancelled' on the call. */
  async function cancelledSignal(deadline: number, cancelAfterMs = 0): Promise<{ reason: unknown; error: ServiceError | null; listenersLeft: number }> {
    const call = aCall(deadline);
    let reason: unknown;
    const handler = callPipeline({ service: {} as AuthService, logger: new CapturedLogger() })(
      rpc<object, object>({
        operation: 'GetJwks',
        handle: (_service, _request, { signal }) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              reason = signal.reason;
              reject(signal.reason);
            });
          }),
      }),
    );
    const done = new Promise<ServiceError | null>((resolve) => handler(call, (error) => resolve(error as ServiceError | null)));
    await new Promise((resolve) => setTimeout(resolve, cancelAfterMs));
    call.emit('cancelled', 'cancelled');
    const error = await done;
    return { reason, error, listenersLeft: (call as unknown as EventEmitter).listenerCount('cancelled') };
  }

  it('fires with a TimeoutError when the call is cancelled after its deadline passed (grpc-js ends a call at its deadline)', async () => {
    // Time left when the call arrives, none left when grpc-js reports it cancelled.
    const result = await cancelledSignal(Date.now() + 20, 40);
    expect(result.reason).toBeInstanceOf(DOMException);
    expect((result.reason as DOMException).name).toBe('TimeoutError');
    expect(result.error?.code).toBe(status.DEADLINE_EXCEEDED);
  });

  it('fires with an AbortError when the client cancels before the deadline, and leaves no listener behind', async () => {
    const result = await cancelledSignal(Date.now() + 60_000);
    expect(result.reason).toBeInstanceOf(DOMException);
    expect((result.reason as DOMException).name).toBe('AbortError');
    expect(result.error?.code).toBe(status.CANCELLED);
    expect(result.listenersLeft).toBe(0);
  });
});

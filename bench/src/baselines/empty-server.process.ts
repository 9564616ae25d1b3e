import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { EMPTY_METHOD } from '../proto.codec.ts';

/**
 * The transport baseline: a bare grpc-js server in its own process answering one empty unary method, no
 * interceptors, no work. Prints its port on stdout; stops on SIGTERM.
 */
const server = new Server();
const service = {
  Call: { path: EMPTY_METHOD.path, requestStream: false, responseStream: false, requestSerialize: EMPTY_METHOD.serialize, requestDeserialize: EMPTY_METHOD.deserialize, responseSerialize: EMPTY_METHOD.serialize, responseDeserialize: EMPTY_METHOD.deserialize },
};
const implementation: UntypedServiceImplementation = { Call: (_call: unknown, callback: (e: null, r: object) => void) => callback(null, {}) };
server.addService(service, implementation);
server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  console.log(`port ${port}`);
});
process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));

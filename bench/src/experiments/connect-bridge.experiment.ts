import { performance } from 'node:perf_hooks';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { authServiceSchema } from '@authsvc/grpc-server';
import { AuthServiceService, Role } from '@authsvc/proto/auth/v1/auth';

/**
 * What the Connect and gRPC-Web server adds to a call for sharing the grpc-js handlers: the request crosses from the
 * @bufbuild/protobuf message Connect decoded to the ts-proto message the handler takes, and the response back,
 * through their protobuf bytes (apps/grpc-server/src/connect/connect.server.ts). Measured on Login, whose response
 * carries a token pair; per call, request and response together, one call at a time.
 *   node bench/src/experiments/connect-bridge.experiment.ts [calls=20000] [rounds=3]
 */
const [calls = 20_000, rounds = 3] = process.argv.slice(2).map(Number);

const method = authServiceSchema().methods.find((m) => m.localName === 'login');
if (method?.methodKind !== 'unary') throw new Error('auth.v1.AuthService/Login is missing');
const wire = AuthServiceService.login;
const request = create(method.input, { login: 'ada@example.com', password: 'correct horse battery staple' });
const now = new Date();
const response = wire.responseDeserialize(
  wire.responseSerialize({
    accountId: '01a24a39-33e4-753b-9d33-827f1848d674',
    username: 'ada',
    role: Role.ROLE_USER,
    tokens: { accessToken: 'a'.repeat(600), refreshToken: 'r'.repeat(90), accessTokenExpiresAt: now, refreshTokenExpiresAt: now, tokenType: 'Bearer' },
    mfaTicket: '',
    secondFactors: [],
  }),
);

for (let round = 1; round <= rounds; round += 1) {
  const started = performance.now();
  for (let i = 0; i < calls; i += 1) {
    wire.requestDeserialize(Buffer.from(toBinary(method.input, request)));
    fromBinary(method.output, wire.responseSerialize(response));
  }
  console.log(`round ${round}: ${(((performance.now() - started) * 1000) / calls).toFixed(1)} µs per Login (request and response)`);
}

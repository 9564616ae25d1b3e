/** @authsvc/test-support/grpc: the typed test client of auth.v1.AuthService (over @authsvc/client) and the decoder of its rich errors. */
export { TestClient, codeName, reasonOf, type CallOptions, type TestClientOptions } from './grpc-client.support.js';
export { decodeStatusDetails, STATUS_DETAILS_TRAILER, type RequestOf, type ResponseOf, type RpcName, type StatusDetail } from '@authsvc/client';

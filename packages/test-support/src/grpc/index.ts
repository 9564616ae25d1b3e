/** @authsvc/test-support/grpc: the typed test client of auth.v1.AuthService and the decoder of its rich errors. */
export { TestClient, codeName, reasonOf, type CallOptions, type RequestOf, type ResponseOf, type RpcName, type TestClientOptions } from './grpc-client.support.js';
export { decodeStatusDetails, STATUS_DETAILS_TRAILER, type StatusDetail } from './status-details.codec.js';

import type { AuthServiceService } from '@authsvc/proto/auth/v1/auth';

type Definitions = typeof AuthServiceService;

/** An RPC of auth.v1.AuthService by its client name: `registerUser`, `login`, `validateToken`, ... */
export type RpcName = keyof Definitions;
/** The request message of an RPC, as ts-proto generates it. */
export type RequestOf<K extends RpcName> = Parameters<Definitions[K]['requestSerialize']>[0];
/** The response message of an RPC, as ts-proto generates it. */
export type ResponseOf<K extends RpcName> = ReturnType<Definitions[K]['responseDeserialize']>;

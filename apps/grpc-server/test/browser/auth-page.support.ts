// The script of the browser test page (bundled by esbuild, run by headless Chromium): registers, logs in, reads the
// profile with the access token and refreshes, through @connectrpc/connect-web, with the Connect protocol and then
// gRPC-Web, and posts what happened to the page's own server (/result).
import { createFileRegistry, fromBinary, type DescService } from '@bufbuild/protobuf';
import { base64Decode } from '@bufbuild/protobuf/wire';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { ConnectError, createClient, type CallOptions, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-web';

/** The service's encoded FileDescriptorSet, put in by the bundler. */
declare const AUTH_DESCRIPTORS: string;
// The two browser globals the page uses (the app's typecheck has Node's library, not the DOM's).
declare const location: { readonly search: string; readonly origin: string };
declare const document: { title: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Message = Record<string, any>;
type DynamicClient = Record<string, (request: object, options?: CallOptions) => Promise<Message>>;

interface Outcome {
  protocol: string;
  registeredId?: string;
  loginAccountId?: string;
  profileUsername?: string;
  refreshedDiffers?: boolean;
  wrongPasswordCode?: string;
  error?: string;
}

async function scenario(protocol: string, transport: Transport, service: DescService): Promise<Outcome> {
  const client = createClient(service, transport) as unknown as DynamicClient;
  const name = `web_${protocol.replace('-', '')}_${Math.random().toString(36).slice(2, 8)}`;
  const password = `pw-${name}-browser`;
  const outcome: Outcome = { protocol };
  try {
    const registered = await client['registerUser']!({ username: name, email: `${name}@example.com`, password, gender: 1, country: 'NL', age: 33 });
    outcome.registeredId = registered['user']?.id;
    const login = await client['login']!({ login: name, password });
    outcome.loginAccountId = login['accountId'];
    const profile = await client['getUser']!({ id: login['accountId'] }, { headers: { authorization: `Bearer ${login['tokens'].accessToken}` } });
    outcome.profileUsername = profile['user']?.username;
    const refreshed = await client['refreshToken']!({ refreshToken: login['tokens'].refreshToken });
    outcome.refreshedDiffers = typeof refreshed['tokens']?.refreshToken === 'string' && refreshed['tokens'].refreshToken !== login['tokens'].refreshToken;
    try {
      await client['login']!({ login: name, password: `${password}-wrong` });
      outcome.wrongPasswordCode = 'OK';
    } catch (error) {
      outcome.wrongPasswordCode = String(ConnectError.from(error).code);
    }
  } catch (error) {
    outcome.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  return outcome;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const baseUrl = params.get('api') ?? '';
  const service = createFileRegistry(fromBinary(FileDescriptorSetSchema, base64Decode(AUTH_DESCRIPTORS))).getService('auth.v1.AuthService')!;
  const outcomes = [
    await scenario('connect', createConnectTransport({ baseUrl }), service),
    await scenario('grpc-web', createGrpcWebTransport({ baseUrl }), service),
  ];
  document.title = outcomes.every((o) => o.error === undefined) ? 'done' : 'failed';
  await fetch('/result', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ origin: location.origin, outcomes }) });
}

main().catch(async (error: unknown) => {
  await fetch('/result', { method: 'POST', body: JSON.stringify({ fatal: String(error) }) });
});

import { Client, Metadata, credentials, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { FileDescriptorProto, FieldDescriptorProto_Type, type DescriptorProto } from 'ts-proto-descriptors';
import * as auth from '@authsvc/proto/auth/v1/auth';
import { reflect } from '../../grpc/support/infrastructure-clients.support.js';

/**
 * Runs the README's grpcurl walk-through without grpcurl (not installable on the project's machines):
 * the same command lines, parsed, executed through @grpc/grpc-js the way grpcurl does it — methods and
 * field names resolved through the server's reflection, requests and responses in proto3 JSON.
 *
 * Only the shell the walk-through uses is understood; anything else throws (a drifting README fails):
 *   grpcurl -plaintext [-H 'name: value']... [-d '<json>'] ADDRESS (list | package.Service/Method)
 *   NAME=$(PIPELINE)      command substitution (trailing newlines removed)
 *   echo "$NAME"          prints
 *   ... | jq -r .a[0].b   a field path of the JSON read from the pipe (array indexes in brackets)
 * Words: '…' literal, "…" with $NAME / ${NAME} and \" \\ \$ escapes, bare words with $NAME; `\` + newline
 * continues a line; `#` starts a comment. Expanding an unset variable throws (bash would pass "").
 */

/** One ```bash block of the walk-through and the output block right after it (if any). */
export interface WalkthroughStep {
  commands: string[];
  expected?: { language: string; text: string };
}

/** The fenced blocks between the walk-through markers, paired as command block + expected output. */
export function parseWalkthrough(readme: string): WalkthroughStep[] {
  const start = readme.indexOf('<!-- walkthrough:start -->');
  const end = readme.indexOf('<!-- walkthrough:end -->');
  if (start < 0 || end < start) throw new Error('README has no walkthrough markers');
  const steps: WalkthroughStep[] = [];
  for (const match of readme.slice(start, end).matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    const [, language = '', body = ''] = match;
    if (language === 'bash') {
      steps.push({ commands: body.replace(/\\\n/g, ' ').split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#')) });
    } else {
      const last = steps.at(-1);
      if (!last || last.expected) throw new Error(`output block without a command block before it:\n${body}`);
      last.expected = { language, text: body };
    }
  }
  return steps;
}

type Token = { kind: 'word'; value: string } | { kind: 'pipe' };

function expand(name: string, vars: Map<string, string>): string {
  const value = vars.get(name);
  if (value === undefined) throw new Error(`$${name} is used before it is set`);
  return value;
}

/** Splits one command line into words and `|`, expanding variables (quotes as in bash). */
export function tokenize(line: string, vars: Map<string, string>): Token[] {
  const tokens: Token[] = [];
  let word: string | null = null;
  let i = 0;
  const variable = (): string => {
    const braced = /^\$\{(\w+)\}/.exec(line.slice(i)) ?? /^\$(\w+)/.exec(line.slice(i));
    if (!braced) throw new Error(`unsupported $ form at "${line.slice(i)}"`);
    i += braced[0].length;
    return expand(braced[1]!, vars);
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== null) tokens.push({ kind: 'word', value: word });
      word = null;
      i += 1;
    } else if (c === '#' && word === null) {
      break;
    } else if (c === '|') {
      if (word !== null) tokens.push({ kind: 'word', value: word });
      word = null;
      tokens.push({ kind: 'pipe' });
      i += 1;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unterminated ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      word ??= '';
      i += 1;
      while (line[i] !== '"') {
        if (i >= line.length) throw new Error(`unterminated " in: ${line}`);
        if (line[i] === '\\' && '"\\$`'.includes(line[i + 1] ?? '')) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === '$') word += variable();
        else word += line[i++];
      }
      i += 1;
    } else if (c === '$') {
      word = (word ?? '') + variable();
    } else if (c === '\\') {
      word = (word ?? '') + (line[i + 1] ?? '');
      i += 2;
    } else {
      word = (word ?? '') + c;
      i += 1;
    }
  }
  if (word !== null) tokens.push({ kind: 'word', value: word });
  return tokens;
}

/** A gRPC call that failed, reported as grpcurl prints it. */
export class GrpcurlError extends Error {
  constructor(readonly error: ServiceError) {
    super(`ERROR:\n  Code: ${goCodeName(error.code)}\n  Message: ${error.details}`);
  }
}

/** grpc-go's codes.Code String(): what grpcurl prints after "Code:". */
function goCodeName(code: number): string {
  if (code === grpcStatus.CANCELLED) return 'Canceled';
  const name = grpcStatus[code] ?? `Code(${code})`;
  return name.toLowerCase().replace(/(^|_)(\w)/g, (_all, _sep: string, letter: string) => letter.toUpperCase());
}

/** Messages the walk-through may send or receive, by full name: encode/decode plus proto3 JSON. */
interface MessageCodec {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromJSON(json: unknown): unknown;
  toJSON(message: unknown): unknown;
}

type Codec = { serialize(json: unknown): Buffer; deserialize(bytes: Buffer): unknown };

function codecFor(fullName: string): Codec {
  const dot = fullName.lastIndexOf('.');
  const [pkg, name] = [fullName.slice(0, dot), fullName.slice(dot + 1)];
  if (pkg === 'auth.v1') {
    // ts-proto's fromJSON/toJSON: camelCase json names, enum names, Timestamps as RFC 3339, defaults omitted.
    const message = (auth as unknown as Record<string, MessageCodec | undefined>)[name];
    if (!message?.fromJSON) throw new Error(`no generated message ${fullName}`);
    return { serialize: (json) => Buffer.from(message.encode(message.fromJSON(json)).finish()), deserialize: (bytes) => message.toJSON(message.decode(bytes)) };
  }
  if (fullName === 'grpc.health.v1.HealthCheckRequest' || fullName === 'grpc.health.v1.HealthCheckResponse') {
    // grpc-health-check's proto-loader codec gives enums as names; proto3 JSON omits the default (UNKNOWN).
    const check = healthService['Check']!;
    return {
      serialize: (json) => check.requestSerialize({ service: (json as { service?: string }).service ?? '' }),
      deserialize: (bytes) => {
        const { status } = check.responseDeserialize(bytes) as { status: string };
        return status === 'UNKNOWN' ? {} : { status };
      },
    };
  }
  throw new Error(`the runner has no codec for ${fullName}`);
}

/** Resolves `Service/Method` through reflection, as grpcurl does, and checks the JSON against the descriptor. */
async function resolveMethod(address: string, target: string): Promise<{ path: string; input: string; output: string; inputDescriptor: DescriptorProto; enums: Map<string, string[]> }> {
  const [serviceName, methodName] = target.split('/') as [string, string | undefined];
  if (!methodName) throw new Error(`not a Service/Method: ${target}`);
  const answer = await reflect(address, { fileContainingSymbol: serviceName });
  if (!answer.fileDescriptorResponse) throw new Error(`reflection does not know ${serviceName}: ${answer.errorResponse?.errorMessage}`);
  const files = answer.fileDescriptorResponse.fileDescriptorProto.map((bytes) => FileDescriptorProto.decode(bytes));
  const messages = new Map<string, DescriptorProto>();
  const enums = new Map<string, string[]>();
  for (const file of files) {
    for (const message of file.messageType) messages.set(`.${file.package}.${message.name}`, message);
    for (const e of file.enumType) enums.set(`.${file.package}.${e.name}`, e.value.map((v) => v.name));
  }
  const file = files.find((f) => f.service.some((s) => `${f.package}.${s.name}` === serviceName));
  const method = file?.service.find((s) => `${file.package}.${s.name}` === serviceName)?.method.find((m) => m.name === methodName);
  if (!method) throw new Error(`reflection: ${serviceName} has no method ${methodName}`);
  const inputDescriptor = messages.get(method.inputType);
  if (!inputDescriptor) throw new Error(`reflection: no descriptor for ${method.inputType}`);
  return { path: `/${serviceName}/${methodName}`, input: method.inputType.slice(1), output: method.outputType.slice(1), inputDescriptor, enums };
}

/** What grpcurl's jsonpb.Unmarshaler refuses: unknown fields and unknown enum names. */
function checkRequestJson(json: Record<string, unknown>, descriptor: DescriptorProto, enums: Map<string, string[]>): void {
  for (const [key, value] of Object.entries(json)) {
    const field = descriptor.field.find((f) => f.jsonName === key || f.name === key);
    if (!field) throw new Error(`grpcurl would refuse the request: message ${descriptor.name} has no field "${key}"`);
    if (field.type === FieldDescriptorProto_Type.TYPE_ENUM && typeof value === 'string' && !enums.get(field.typeName)?.includes(value)) {
      throw new Error(`grpcurl would refuse the request: "${value}" is not a value of ${field.typeName}`);
    }
  }
}

async function grpcurl(args: string[]): Promise<string> {
  const headers: string[] = [];
  const positional: string[] = [];
  let data: string | undefined;
  let plaintext = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-plaintext') plaintext = true;
    else if (arg === '-d') data = args[++i];
    else if (arg === '-H') headers.push(args[++i] ?? '');
    else if (arg.startsWith('-')) throw new Error(`the runner does not know grpcurl flag ${arg}`);
    else positional.push(arg);
  }
  // The walk-through talks to the server's default, plaintext listener; without the flag grpcurl would try TLS.
  if (!plaintext) throw new Error('grpcurl without -plaintext would attempt TLS');
  const [address, target, ...rest] = positional;
  if (!address || !target || rest.length > 0) throw new Error(`expected ADDRESS (list | Service/Method), got: ${positional.join(' ')}`);
  if (target === 'list') {
    const answer = await reflect(address, { listServices: '' });
    // grpcurl sorts the names.
    return `${answer.listServicesResponse!.service.map((s) => s.name).sort().join('\n')}\n`;
  }
  const method = await resolveMethod(address, target);
  const json = data === undefined ? {} : (JSON.parse(data) as Record<string, unknown>);
  checkRequestJson(json, method.inputDescriptor, method.enums);
  const metadata = new Metadata();
  for (const header of headers) {
    const colon = header.indexOf(':');
    if (colon < 0) throw new Error(`-H needs "name: value", got ${header}`);
    metadata.add(header.slice(0, colon).trim().toLowerCase(), header.slice(colon + 1).trimStart());
  }
  const [request, response] = [codecFor(method.input), codecFor(method.output)];
  // grpcurl introduces itself as grpcurl/<version> (the README's sessions show it); grpc-js appends its own name.
  const client = new Client(address, credentials.createInsecure(), { 'grpc.primary_user_agent': 'grpcurl/v1.9.3' });
  try {
    const reply = await new Promise<unknown>((resolve, reject) =>
      client.makeUnaryRequest(method.path, request.serialize, response.deserialize, json, metadata, {}, (error, value) => (error ? reject(new GrpcurlError(error)) : resolve(value))),
    );
    // grpcurl: jsonpb output re-indented with two spaces, then a newline.
    return `${JSON.stringify(reply, null, 2)}\n`;
  } finally {
    client.close();
  }
}

function jq(args: string[], input: string): string {
  const [flag, path, ...rest] = args;
  if (flag !== '-r' || !path?.startsWith('.') || rest.length > 0) throw new Error(`the runner knows only jq -r .path (.a[0].b), got jq ${args.join(' ')}`);
  let value: unknown = JSON.parse(input);
  // `.a[1].b` indexes an array as jq does; it becomes the key path a, 1, b.
  for (const key of path.slice(1).replace(/\[(\d+)\]/g, '.$1').split('.')) value = (value as Record<string, unknown> | null)?.[key] ?? null;
  return `${typeof value === 'string' ? value : JSON.stringify(value)}\n`;
}

async function pipeline(tokens: Token[]): Promise<string> {
  const commands: string[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'pipe') commands.push([]);
    else commands.at(-1)!.push(token.value);
  }
  let stdout = '';
  for (const [program, ...args] of commands) {
    if (program === 'grpcurl') stdout = await grpcurl(args);
    else if (program === 'jq') stdout = jq(args, stdout);
    else if (program === 'echo') stdout = `${args.join(' ')}\n`;
    else throw new Error(`the runner does not know the command "${program ?? ''}"`);
  }
  return stdout;
}

/** Shell state carried from one command line to the next (variables), and what the lines printed. */
export class WalkthroughShell {
  readonly vars = new Map<string, string>();

  /** Runs one logical command line; resolves with what it printed to the terminal. */
  async run(line: string): Promise<string> {
    const assignment = /^\s*([A-Za-z_]\w*)=\$\((.*)\)\s*$/.exec(line);
    if (assignment) {
      this.vars.set(assignment[1]!, (await pipeline(tokenize(assignment[2]!, this.vars))).replace(/\n+$/, ''));
      return '';
    }
    return pipeline(tokenize(line, this.vars));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/**
 * Differences between a printed example and a real output (empty: they match). The README's examples
 * are real outputs with the run-specific parts standing in: a UUID stands for any UUID, an RFC 3339
 * time for any time, `…` inside a string for any text. Everything else, keys included, must be equal.
 */
export function compareOutput(expected: string, actual: string, language: string, at = '$'): string[] {
  if (language !== 'json') {
    return expected.trimEnd() === actual.trimEnd() ? [] : [`${at}: expected\n${expected}\ngot\n${actual}`];
  }
  return compareJson(JSON.parse(expected) as unknown, JSON.parse(actual) as unknown, at);
}

function compareJson(expected: unknown, actual: unknown, at: string): string[] {
  if (typeof expected === 'string' && typeof actual === 'string') {
    if (UUID.test(expected)) return UUID.test(actual) ? [] : [`${at}: ${actual} is not a UUID`];
    if (RFC3339.test(expected)) return RFC3339.test(actual) ? [] : [`${at}: ${actual} is not an RFC 3339 time`];
    const pattern = new RegExp(`^${expected.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`, 's');
    return pattern.test(actual) ? [] : [`${at}: expected ${expected}, got ${actual}`];
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    const [e, a] = [expected as Record<string, unknown>, actual as Record<string, unknown>];
    const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])];
    return keys.flatMap((key) => (key in e && key in a ? compareJson(e[key], a[key], `${at}.${key}`) : [`${at}.${key}: ${key in e ? 'missing from the output' : 'printed but not shown'}`]));
  }
  return expected === actual ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

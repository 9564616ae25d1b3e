import { afterAll } from 'vitest';
import {
  BcryptPasswordHasher,
  InMemoryAccountStore,
  InMemoryRateLimiter,
  InMemorySessionStore,
  JoseAccessTokens,
  RandomIdGenerator,
  createAuthService,
  generateSigningKey,
  isSecurityEventType,
} from '../../../src/index.js';
import type {
  AuthService,
  AuthServiceDependencies,
  AuthServiceSettings,
  AttemptLimits,
  Caller,
  PasswordHasher,
  PendingEvent,
  PublicProfile,
  RegisterArtistInput,
  RegisterUserInput,
  SecurityEvent,
} from '../../../src/index.js';
import { ManualClock, peekPending, uniqueSuffix } from '../../../src/fixtures/index.js';

export const TEST_REFRESH_SECRET = new Uint8Array(32).fill(42);
export const PASSWORD = 'correct horse battery';

/** A real bcrypt hasher at cost 4 (fast), closed after the file's tests. */
export function sharedHasher(cost = 4): BcryptPasswordHasher {
  const hasher = new BcryptPasswordHasher({ cost, threads: 1 });
  afterAll(() => hasher.close());
  return hasher;
}

/** Forwards to a real hasher and remembers which hashes `verify` was asked about. */
export class ObservedHasher implements PasswordHasher {
  readonly verifiedAgainst: string[] = [];
  /** Called as each hash starts. */
  onHash: () => void = () => undefined;
  /** Called as each verification starts. */
  onVerify: () => void = () => undefined;
  constructor(private readonly inner: PasswordHasher) {}
  hash(password: string, signal?: AbortSignal): Promise<string> {
    this.onHash();
    return this.inner.hash(password, signal);
  }
  verify(password: string, hash: string, signal?: AbortSignal): Promise<boolean> {
    this.verifiedAgainst.push(hash);
    this.onVerify();
    return this.inner.verify(password, hash, signal);
  }
  needsRehash(hash: string): boolean {
    return this.inner.needsRehash(hash);
  }
}

export interface HarnessOptions {
  hasher: PasswordHasher;
  settings?: Partial<AuthServiceSettings>;
  /** Limits to use instead of the harness's (logins: 3 per name and address in a minute; the rest as the defaults). */
  limits?: Partial<AttemptLimits>;
  /** Replace some ports (e.g. a failing unit of work). */
  override?: (deps: AuthServiceDependencies) => Partial<AuthServiceDependencies>;
}

/** The whole service on in-memory ports, a manual clock and real crypto. */
export class Harness {
  private constructor(
    readonly service: AuthService,
    readonly deps: AuthServiceDependencies,
    readonly clock: ManualClock,
    readonly store: InMemoryAccountStore,
    readonly sessions: InMemorySessionStore,
  ) {}

  static async create(options: HarnessOptions): Promise<Harness> {
    const clock = new ManualClock(new Date());
    const store = new InMemoryAccountStore({ clock });
    const sessions = new InMemorySessionStore();
    const tokens = await JoseAccessTokens.create({
      issuer: 'https://auth.test',
      audience: 'test-services',
      keys: [await generateSigningKey('EdDSA')],
    });
    const base: AuthServiceDependencies = {
      accounts: store.accounts,
      unitOfWork: store.unitOfWork,
      sessions,
      securityEvents: store.securityEvents,
      rateLimiter: new InMemoryRateLimiter(),
      passwordHasher: options.hasher,
      tokenSigner: tokens,
      tokenVerifier: tokens,
      publicKeys: tokens,
      clock,
      ids: new RandomIdGenerator(() => clock.now().getTime()),
    };
    const deps = { ...base, ...options.override?.(base) };
    const limits = { loginPerAddress: { max: 3, windowMs: 60_000 }, ...options.limits };
    const service = createAuthService(deps, { refreshTokenSecret: TEST_REFRESH_SECRET, ...options.settings, limits: { ...limits, ...options.settings?.limits } });
    return new Harness(service, deps, clock, store, sessions);
  }

  /** A valid user registration with unique names; `overrides` replace fields. */
  userInput(overrides: Partial<RegisterUserInput> = {}): RegisterUserInput {
    const suffix = uniqueSuffix();
    return { username: `user_${suffix}`, email: `user_${suffix}@example.com`, password: PASSWORD, gender: 'female', country: 'SE', age: 30, ...overrides };
  }

  artistInput(overrides: Partial<RegisterArtistInput> = {}): RegisterArtistInput {
    const suffix = uniqueSuffix();
    return {
      username: `artist_${suffix}`,
      email: `artist_${suffix}@example.com`,
      password: PASSWORD,
      author: `Band ${suffix}`,
      producer: 'Label',
      country: 'IS',
      description: 'Ambient.',
      ...overrides,
    };
  }

  /** Registers a user (or, with `admin`, creates an admin), logs in, and returns the profile, tokens and caller. */
  async signedInUser(options: { admin?: boolean } = {}) {
    const input = this.userInput();
    const profile = options.admin ? await this.service.createAdmin(input) : await this.service.registerUser(input);
    return { profile, ...(await this.signIn(profile, input.password)) };
  }

  async signedInArtist() {
    const input = this.artistInput();
    const profile = await this.service.registerArtist(input);
    return { profile, ...(await this.signIn(profile, input.password)) };
  }

  async signIn(profile: PublicProfile, password: string) {
    const login = await this.service.login({ login: profile.username, password });
    const caller: Caller = await this.service.authenticate(login.tokens.accessToken);
    return { tokens: login.tokens, caller };
  }

  /** Pending account events (profile topics) of these accounts, oldest first, left pending; security events are not among them. */
  async events(...accountIds: string[]): Promise<PendingEvent[]> {
    return (await peekPending(this.store.relayStore, accountIds)).filter((event) => !isSecurityEventType(event.type));
  }

  /** Pending outbox events of the security topic with these keys (every key when none), oldest first, once every queued one is written. */
  async securityOutbox(...keys: string[]): Promise<PendingEvent[]> {
    await this.service.flushSecurityEvents();
    const seen: PendingEvent[] = [];
    await this.store.relayStore.processBatch(10_000, async (events) => {
      seen.push(...events.filter((event) => isSecurityEventType(event.type) && (keys.length === 0 || keys.includes(event.key))));
      return { published: [], failed: [] };
    });
    return seen;
  }

  /** The audit trail of an account, newest first (every event, one page). */
  async audit(accountId: string): Promise<SecurityEvent[]> {
    await this.service.flushSecurityEvents();
    return this.store.securityEvents.list({ accountId, limit: 10_000 });
  }
}

import { afterAll } from 'vitest';
import {
  BcryptPasswordHasher,
  InMemoryAccountStore,
  InMemoryRateLimiter,
  InMemorySessionStore,
  InMemorySecondFactorStore,
  JoseAccessTokens,
  SecretBox,
  TOTP_PERIOD_SECONDS,
  totpCodeAt,
  MailTokenSealer,
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
  MailKind,
  PendingEvent,
  PendingMail,
  PublicProfile,
  RegisterArtistInput,
  RegisterUserInput,
  TokenPair,
  SecurityEvent,
} from '../../../src/index.js';
import { ManualClock, peekPending, signedIn, uniqueSuffix, type SoftwareAuthenticator } from '../../../src/fixtures/index.js';

export const TEST_REFRESH_SECRET = new Uint8Array(32).fill(42);
export const PASSWORD = 'correct horse battery';
export const TEST_SECRET_BOX = new SecretBox([{ id: 'test', key: new Uint8Array(32).fill(7) }]);

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
  get maxPasswordBytes(): number {
    return this.inner.maxPasswordBytes;
  }
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

/** The relying party of the harness's passkeys; a SoftwareAuthenticator at TEST_ORIGIN uses them. */
export const TEST_ORIGIN = 'https://auth.test';
export const TEST_PASSKEYS = { rpId: 'auth.test', rpName: 'authsvc test', origins: [TEST_ORIGIN] };

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
      secondFactors: new InMemorySecondFactorStore(),
    };
    const deps = { ...base, ...options.override?.(base) };
    const limits = { loginPerAddress: { max: 3, windowMs: 60_000 }, ...options.limits };
    const service = createAuthService(deps, {
      refreshTokenSecret: TEST_REFRESH_SECRET,
      secretBox: TEST_SECRET_BOX,
      passkeys: TEST_PASSKEYS,
      passwordResetReplyFloorMs: 0,
      // The role policy (default ADMIN) off: most tests sign admins in with a password; role-policy tests turn it on.
      mfaRequiredForRoles: [],
      ...options.settings,
      limits: { ...limits, ...options.settings?.limits },
    });
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
    const login = await signedIn(this.service.login({ login: profile.username, password }));
    const caller: Caller = await this.service.authenticate(login.tokens.accessToken);
    return { tokens: login.tokens, caller };
  }

  /** Enrols and confirms a TOTP authenticator for `id` (as `caller`): its secret and the recovery codes issued. */
  async enrolTotp(caller: Caller, id: string): Promise<{ secret: string; recoveryCodes: string[] }> {
    const { secret } = await this.service.beginTotpEnrolment(caller, { id });
    const { recoveryCodes } = await this.service.confirmTotpEnrolment(caller, { id, totpCode: totpCodeAt(secret, this.clock.now()) });
    return { secret, recoveryCodes };
  }

  /** Registers a passkey of `authenticator` for `id` (as `caller`): its credential id and the recovery codes issued. */
  async enrolPasskey(caller: Caller, id: string, authenticator: SoftwareAuthenticator, name?: string): Promise<{ credentialId: string; recoveryCodes: string[] }> {
    const { options } = await this.service.beginPasskeyRegistration(caller, { id });
    return this.service.finishPasskeyRegistration(caller, { id, response: authenticator.create(options), ...(name === undefined ? {} : { name }) });
  }

  /** Signs in with the password and the next TOTP code: a principal whose session used a second factor now. */
  async signInWithTotp(username: string, secret: string, password = PASSWORD): Promise<{ caller: Caller; tokens: TokenPair }> {
    const login = await this.service.login({ login: username, password });
    const { tokens } = await this.service.completeLogin({ ticket: login.secondFactor!.ticket, totpCode: this.nextTotpCode(secret) });
    return { caller: await this.service.authenticate(tokens.accessToken), tokens };
  }

  /** The code of the next time step, the clock moved there (a code of the current step was already used). */
  nextTotpCode(secret: string): string {
    this.clock.advance(TOTP_PERIOD_SECONDS * 1000);
    return totpCodeAt(secret, this.clock.now());
  }

  /** Every mail still in the mail outbox, oldest first, with its token opened; left pending. */
  async mails(): Promise<(PendingMail & { token: string | null })[]> {
    const sealer = new MailTokenSealer(TEST_REFRESH_SECRET);
    let seen: readonly PendingMail[] = [];
    // A deliver that reports nothing leaves every mail pending, unchanged.
    await this.store.mailStore.processBatch(1_000, async (mails) => {
      seen = mails;
      return { sent: [], failed: [], abandoned: [] };
    }, new Date(8.64e15));
    return seen.map((mail) => ({ ...mail, token: mail.sealedToken === null ? null : sealer.open(mail.sealedToken) }));
  }

  /** The token of the newest mail of `kind` to `to`; throws when there is none. */
  async tokenMailed(kind: MailKind, to: string): Promise<string> {
    const mail = (await this.mails()).filter((m) => m.kind === kind && m.to === to).at(-1);
    if (!mail?.token) throw new Error(`no ${kind} mail to ${to}`);
    return mail.token;
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

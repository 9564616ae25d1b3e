import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAIL_SUBJECTS,
  InMemoryAccountStore,
  MailDeliveryWorker,
  MailSendError,
  MailTokenSealer,
  type MailMessage,
  type MailSender,
  type OutgoingMail,
} from '../../src/index.js';
import { ManualClock, aUserAccount, testUuidV7 } from '../../src/fixtures/index.js';

const SECRET = new Uint8Array(32).fill(7);
const TOKEN = 'A'.repeat(20) + 'b'.repeat(23);

/** A sender that answers from a script: 'ok', or an error to throw. */
class ScriptedSender implements MailSender {
  readonly accepted: MailMessage[] = [];
  constructor(private readonly script: (message: MailMessage, call: number) => 'ok' | Error) {}
  #calls = 0;
  async send(message: MailMessage): Promise<{ destination: string }> {
    const answer = this.script(message, this.#calls++);
    if (answer !== 'ok') throw answer;
    this.accepted.push(message);
    return { destination: 'test' };
  }
  async close(): Promise<void> {}
}

async function setup(sender: MailSender, options: { maxAttempts?: number; maxRejections?: number } = {}) {
  const clock = new ManualClock(new Date('2026-05-01T00:00:00Z'));
  const store = new InMemoryAccountStore({ clock });
  const sealer = new MailTokenSealer(SECRET);
  const account = aUserAccount({ username: 'mira' });
  const mail: OutgoingMail = {
    id: testUuidV7(clock.now()),
    kind: 'reset-password',
    to: account.email,
    accountId: account.id,
    username: account.username,
    sealedToken: sealer.seal(TOKEN),
    newEmail: null,
    createdAt: clock.now(),
  };
  await store.unitOfWork.run(async (scope) => {
    await scope.accounts.insert(account);
    await scope.mail.enqueue([mail]);
  });
  const events: string[] = [];
  const worker = new MailDeliveryWorker(
    {
      store: store.mailStore,
      sender,
      sealer,
      from: 'Auth <auth@example.com>',
      templates: { baseUrl: 'https://app.example.com/account/', productName: 'Tunes', subjects: DEFAULT_MAIL_SUBJECTS },
      tokenLifetimesMs: { 'verify-email': 86_400_000, 'reset-password': 1_800_000, 'change-email': 3_600_000 },
      clock,
      random: () => 0.999,
      metrics: {
        onSent: (m) => events.push(`sent ${m.id}`),
        onFailed: (m, _e, _at, rejected) => events.push(`failed ${m.attempts}${rejected ? ' rejected' : ''}`),
        onAbandoned: (m, error) => events.push(`abandoned ${m.attempts}: ${String(error)}`),
      },
    },
    { ...options, backoff: { baseMs: 1_000, capMs: 60_000 } },
  );
  return { clock, store, worker, mail, events };
}

describe('MailDeliveryWorker', () => {
  it('renders the template with the opened token in the link, text and HTML, and marks the mail sent', async () => {
    const sender = new ScriptedSender(() => 'ok');
    const { worker, store, mail, events, clock } = await setup(sender);
    expect(await worker.deliverOnce()).toBe(1);
    const [message] = sender.accepted;
    expect(message).toMatchObject({ to: mail.to, from: 'Auth <auth@example.com>', subject: 'Reset your password', messageId: `<${mail.id}@authsvc.invalid>` });
    expect(message!.text).toContain(`https://app.example.com/account/reset-password?token=${TOKEN}`);
    expect(message!.text).toContain('30 minutes');
    expect(message!.html).toContain(`href="https://app.example.com/account/reset-password?token=${TOKEN}"`);
    expect(events).toEqual([`sent ${mail.id}`]);
    expect(await worker.deliverOnce()).toBe(0);
    expect(await store.mailStore.stats(clock.now())).toMatchObject({ pending: 0, abandoned: 0 });
  });

  it('retries a transient failure (4xx, connection refused) with backoff until it goes through, sending it once', async () => {
    const sender = new ScriptedSender((_m, call) => (call < 2 ? new MailSendError('421 service not available', false) : 'ok'));
    const { worker, clock, events } = await setup(sender);
    await worker.deliverOnce();
    expect(await worker.deliverOnce()).toBe(0); // not due before its retry time
    clock.advance(1_000);
    await worker.deliverOnce();
    clock.advance(2_000);
    await worker.deliverOnce();
    expect(events.slice(0, 2)).toEqual(['failed 1', 'failed 2']);
    expect(sender.accepted).toHaveLength(1);
  });

  it('abandons after maxRejections permanent refusals (5xx), with the error and a metric', async () => {
    const sender = new ScriptedSender(() => new MailSendError('550 mailbox unavailable', true));
    const { worker, clock, events, store } = await setup(sender, { maxRejections: 2 });
    await worker.deliverOnce();
    clock.advance(60_000);
    await worker.deliverOnce();
    clock.advance(3_600_000);
    expect(await worker.deliverOnce()).toBe(0);
    expect(events).toEqual(['failed 1 rejected', 'abandoned 2: MailSendError: 550 mailbox unavailable']);
    expect(await store.mailStore.list(10)).toMatchObject([{ state: 'abandoned', attempts: 2, lastError: 'MailSendError: 550 mailbox unavailable' }]);
  });

  it('abandons after maxAttempts transient failures', async () => {
    const sender = new ScriptedSender(() => new Error('connect ECONNREFUSED'));
    const { worker, clock, events } = await setup(sender, { maxAttempts: 3 });
    for (let i = 0; i < 5; i += 1) {
      await worker.deliverOnce();
      clock.advance(60_000);
    }
    expect(events).toEqual(['failed 1', 'failed 2', 'abandoned 3: Error: connect ECONNREFUSED']);
  });

  it('a token sealed under another secret is abandoned at once; no error text carries a token', async () => {
    const sender = new ScriptedSender(() => 'ok');
    const { store, clock } = await setup(sender);
    const other = new MailTokenSealer(new Uint8Array(32).fill(8));
    const account = aUserAccount();
    await store.unitOfWork.run(async (scope) => {
      await scope.accounts.insert(account);
      await scope.mail.enqueue([{ id: testUuidV7(clock.now()), kind: 'verify-email', to: account.email, accountId: account.id, username: 'x', sealedToken: other.seal(TOKEN), newEmail: null, createdAt: clock.now() }]);
    });
    const worker = new MailDeliveryWorker({
      store: store.mailStore, sender, sealer: new MailTokenSealer(SECRET), from: 'a@example.com',
      templates: { baseUrl: 'https://x.example', productName: 'X', subjects: DEFAULT_MAIL_SUBJECTS },
      tokenLifetimesMs: { 'verify-email': 1, 'reset-password': 1, 'change-email': 1 }, clock,
    });
    await worker.deliverOnce();
    const listing = await store.mailStore.list(10);
    expect(listing.filter((m) => m.state === 'abandoned')).toHaveLength(1);
    expect(JSON.stringify(listing)).not.toContain(TOKEN);
  });
});

import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { freePort } from '../free-port.util.js';

/** One mail the server accepted: the envelope, the raw message and what mailparser made of it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
  /** The user name the client authenticated with, if any. */
  user: string | null;
  /** Whether the session ran over TLS (STARTTLS or implicit). */
  secure: boolean;
}

export interface SmtpTestServerOptions {
  /** Require AUTH with these credentials (PLAIN/LOGIN). Without it, no auth is offered. */
  auth?: { user: string; pass: string };
  /** Offer STARTTLS with smtp-server's built-in self-signed certificate (clients must not verify it). Default true. */
  starttls?: boolean;
  /** Port to listen on; a free one by default. */
  port?: number;
}

/**
 * A real SMTP server in the test process (smtp-server, by nodemailer's authors): it records every accepted mail, and a
 * test can make it answer the next DATA commands with a given reply code (421: try later; 550: refused), or stop and
 * start it on the same port to play an outage.
 */
export class SmtpTestServer {
  readonly received: ReceivedMail[] = [];
  #server: SMTPServer | null = null;
  #scripted: number[] = [];

  private constructor(
    readonly port: number,
    private readonly options: SmtpTestServerOptions,
  ) {}

  static async start(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
    const server = new SmtpTestServer(options.port ?? (await freePort()), options);
    await server.resume();
    return server;
  }

  /** smtp://[user:pass@]127.0.0.1:<port> */
  get url(): string {
    const auth = this.options.auth;
    const credentials = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : '';
    return `smtp://${credentials}127.0.0.1:${this.port}`;
  }

  /** The next `count` mails are answered with `code` (e.g. 421 or 550) instead of being accepted. */
  answerNext(count: number, code: number): void {
    for (let i = 0; i < count; i += 1) this.#scripted.push(code);
  }

  /** Stops listening (connections are refused) until resume(). */
  async pause(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens (again) on the same port. */
  async resume(): Promise<void> {
    if (this.#server) return;
    const auth = this.options.auth;
    const settings: SMTPServerOptions = {
      logger: false,
      disabledCommands: [...(auth ? [] : ['AUTH']), ...(this.options.starttls === false ? ['STARTTLS'] : [])],
      authOptional: auth === undefined,
      allowInsecureAuth: false,
      onAuth: (session, _s, callback) => {
        if (auth && session.username === auth.user && session.password === auth.pass) callback(null, { user: auth.user });
        else callback(Object.assign(new Error('535 authentication failed'), { responseCode: 535 }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const scripted = this.#scripted.shift();
          if (scripted !== undefined) {
            callback(Object.assign(new Error(scripted >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: scripted }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              this.received.push({
                from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
                to: session.envelope.rcptTo.map((r) => r.address),
                raw,
                parsed,
                user: typeof session.user === 'string' ? session.user : null,
                secure: session.secure,
              });
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    };
    const server = new SMTPServer(settings);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    this.#server = server;
  }

  /** Resolves once at least `count` mails arrived; rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} mails within ${timeoutMs} ms, got ${this.received.length}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.received;
  }

  async stop(): Promise<void> {
    await this.pause();
  }
}

/** The first link of a received mail's plain text that contains `?token=`, and its token. */
export function mailedLink(mail: ReceivedMail | ParsedMail): { url: string; token: string } {
  const parsed = 'parsed' in mail ? mail.parsed : mail;
  const match = /(https?:\/\/\S+\?token=([A-Za-z0-9_-]+))/.exec(parsed.text ?? '');
  if (!match) throw new Error('no link with a token in this mail');
  return { url: match[1]!, token: match[2]! };
}

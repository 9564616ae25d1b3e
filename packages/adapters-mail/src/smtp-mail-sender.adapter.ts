import type { MailMessage, MailSender } from '@authsvc/core';
import nodemailer, { type Transporter } from 'nodemailer';
import { translateMailError } from './mail.errors.js';

export interface SmtpMailSenderOptions {
  /**
   * smtp://[user[:password]@]host[:port] (plain connection, upgraded with STARTTLS when the server offers it; port 587
   * by default) or smtps://... (TLS from the first byte; port 465 by default).
   */
  url: string;
  /** The password, when it is not in the URL. */
  password?: string;
  /** smtp:// only: refuse to send unless the server upgrades to TLS (STARTTLS). Default true. */
  requireTls?: boolean;
  /** Verify the server's certificate. Default true; false only for a development server with a self-signed one. */
  verifyCertificate?: boolean;
  /** Give up on a connection, a greeting or an idle socket after this long. Default 10 s. */
  timeoutMs?: number;
}

/**
 * Sends mail through one SMTP server with nodemailer (a connection per send: the volume is a few mails per user per
 * year, and a fresh connection never finds a stale socket after the server restarted).
 */
export class SmtpMailSender implements MailSender {
  readonly #transport: Transporter;
  readonly #destination: string;

  constructor(options: SmtpMailSenderOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new RangeError('the SMTP URL must start with smtp:// or smtps://');
    const secure = url.protocol === 'smtps:';
    const user = decodeURIComponent(url.username);
    const pass = options.password ?? decodeURIComponent(url.password);
    const timeout = options.timeoutMs ?? 10_000;
    this.#destination = `${url.protocol}//${url.hostname}:${url.port || (secure ? 465 : 587)}`;
    this.#transport = nodemailer.createTransport({
      host: url.hostname,
      port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
      secure,
      requireTLS: !secure && (options.requireTls ?? true),
      ...(user === '' ? {} : { auth: { user, pass } }),
      tls: { rejectUnauthorized: options.verifyCertificate ?? true },
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(message: MailMessage): Promise<{ destination: string }> {
    try {
      await this.#transport.sendMail({
        messageId: message.messageId,
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    } catch (error) {
      throw translateMailError(error);
    }
    return { destination: this.#destination };
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}

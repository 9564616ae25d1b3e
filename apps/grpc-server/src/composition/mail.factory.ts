import { join } from 'node:path';
import { MailDeliveryWorker, MailTokenSealer, type MailOutboxStore, type MailSender, type TokenPurpose } from '@authsvc/core';
import { EmlFileMailSender, SmtpMailSender } from '@authsvc/adapters-mail';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/logger.factory.js';

/** How long each kind of mailed token works, from mail.*TokenTtl. */
export function tokenLifetimesOf(config: AppConfig): Record<TokenPurpose, number> {
  return { 'verify-email': config.mail.verifyTokenTtl, 'reset-password': config.mail.resetTokenTtl, 'change-email': config.mail.changeTokenTtl };
}

/** SMTP when mail.smtpUrl is set, else .eml files under <dataDir>/mail/ (embedded mode). */
export function openMailSender(config: AppConfig): { sender: MailSender; description: string } {
  const { smtpUrl, smtpPassword, smtpRequireTls, smtpVerifyCertificate } = config.mail;
  if (smtpUrl === undefined) {
    const folder = join(config.dataDir, 'mail');
    return { sender: new EmlFileMailSender(folder), description: `.eml files in ${folder}` };
  }
  const sender = new SmtpMailSender({
    url: smtpUrl,
    ...(smtpPassword === undefined ? {} : { password: smtpPassword }),
    requireTls: smtpRequireTls,
    verifyCertificate: smtpVerifyCertificate,
  });
  const url = new URL(smtpUrl);
  return { sender, description: `SMTP ${url.protocol}//${url.host}${url.protocol === 'smtp:' && smtpRequireTls ? ' (STARTTLS required)' : ''}` };
}

/** Builds and starts the delivery worker; every outcome is one log line naming the mail by id and kind, never its token. */
export function startMailDelivery(config: AppConfig, logger: AppLogger, store: MailOutboxStore, sender: MailSender, secret: Uint8Array): MailDeliveryWorker {
  const log = logger.child({ component: 'mail-delivery' });
  const m = config.mail;
  const worker = new MailDeliveryWorker(
    {
      store,
      sender,
      sealer: new MailTokenSealer(secret),
      from: m.from,
      templates: {
        baseUrl: m.baseUrl,
        productName: m.productName,
        subjects: {
          'verify-email': m.subjectVerifyEmail,
          'reset-password': m.subjectResetPassword,
          'confirm-email-change': m.subjectConfirmEmailChange,
          'email-change-notice': m.subjectEmailChangeNotice,
          'new-device': m.subjectNewDevice,
        },
      },
      tokenLifetimesMs: tokenLifetimesOf(config),
      metrics: {
        onSent: (mail, destination) => log.info({ mailId: mail.id, kind: mail.kind, destination }, `mail ${mail.kind} sent: ${destination}`),
        onFailed: (mail, error, retryAt, rejected) =>
          log.warn({ mailId: mail.id, kind: mail.kind, attempts: mail.attempts, err: error, retryAt, rejected }, 'sending mail failed; it will be retried'),
        onAbandoned: (mail, error) => log.error({ mailId: mail.id, kind: mail.kind, attempts: mail.attempts, err: error }, 'mail abandoned after too many failed tries'),
        onStoreError: (error) => log.warn({ err: error }, 'mail outbox store failed; retrying at the next poll'),
      },
    },
    {
      pollIntervalMs: m.pollInterval,
      maxAttempts: m.maxAttempts,
      maxRejections: m.maxRejections,
      backoff: { baseMs: m.retryBase, capMs: Math.max(m.retryBase, m.retryCap) },
      stopTimeoutMs: config.grpc.shutdownTimeout,
      messageIdHost: new URL(m.baseUrl).hostname || 'authsvc.invalid',
    },
  );
  worker.start();
  return worker;
}

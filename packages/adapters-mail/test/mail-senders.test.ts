import { afterEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '@authsvc/core';
import { SmtpTestServer, readEmlFolder } from '@authsvc/test-support/mail';
import { temporaryDir } from '@authsvc/test-support';
import { EmlFileMailSender, SmtpMailSender } from '../src/index.js';

const message = (n = 1): MailMessage => ({
  messageId: `<0190-mail-${n}@authsvc.test>`,
  from: 'Tunes <no-reply@tunes.example>',
  to: 'mira@example.com',
  subject: 'Reset your password',
  text: `Hello mira,\n\nhttps://app.example/reset-password?token=${'t'.repeat(43)}\n`,
  html: `<p>Hello mira,</p><p><a href="https://app.example/reset-password?token=${'t'.repeat(43)}">reset</a></p>`,
});

describe('SmtpMailSender', () => {
  let server: SmtpTestServer | undefined;
  let sender: SmtpMailSender | undefined;
  afterEach(async () => {
    await sender?.close();
    await server?.stop();
  });

  it('sends over STARTTLS with authentication: text, HTML, subject and Message-ID arrive intact', async () => {
    server = await SmtpTestServer.start({ auth: { user: 'mailer', pass: 's3cret pass' } });
    sender = new SmtpMailSender({ url: server.url, verifyCertificate: false });
    await expect(sender.send(message())).resolves.toEqual({ destination: `smtp://127.0.0.1:${server.port}` });
    const [mail] = await server.waitFor(1);
    expect(mail).toMatchObject({ from: 'no-reply@tunes.example', to: ['mira@example.com'], user: 'mailer', secure: true });
    expect(mail!.parsed.subject).toBe('Reset your password');
    expect(mail!.parsed.messageId).toBe('<0190-mail-1@authsvc.test>');
    expect(mail!.parsed.text).toContain('token=' + 't'.repeat(43));
    expect(mail!.parsed.html).toContain('<a href="https://app.example/reset-password?token=');
  });

  it('refuses to send in clear text when the server offers no STARTTLS (requireTls, the default)', async () => {
    server = await SmtpTestServer.start({ starttls: false });
    sender = new SmtpMailSender({ url: server.url, verifyCertificate: false });
    await expect(sender.send(message())).rejects.toMatchObject({ name: 'MailSendError' });
    expect(server.received).toEqual([]);
  });

  it('wrong credentials are a permanent failure (535)', async () => {
    server = await SmtpTestServer.start({ auth: { user: 'mailer', pass: 'right' } });
    sender = new SmtpMailSender({ url: `smtp://mailer:wrong@127.0.0.1:${server.port}`, verifyCertificate: false });
    await expect(sender.send(message())).rejects.toMatchObject({ name: 'MailSendError', permanent: true });
  });

  it('a 550 reply is permanent, a 421 reply transient, a refused connection transient', async () => {
    server = await SmtpTestServer.start();
    sender = new SmtpMailSender({ url: server.url, verifyCertificate: false, timeoutMs: 2_000 });
    server.answerNext(1, 550);
    await expect(sender.send(message(1))).rejects.toMatchObject({ permanent: true, message: expect.stringContaining('SMTP 550') });
    server.answerNext(1, 421);
    await expect(sender.send(message(2))).rejects.toMatchObject({ permanent: false, message: expect.stringContaining('SMTP 421') });
    await server.pause();
    await expect(sender.send(message(3))).rejects.toMatchObject({ permanent: false });
    await server.resume();
    await sender.send(message(4));
    expect((await server.waitFor(1)).map((m) => m.parsed.messageId)).toEqual(['<0190-mail-4@authsvc.test>']);
  });
});

describe('EmlFileMailSender', () => {
  it('writes one RFC 5322 file per mail, named by time, that a mail reader parses back', async () => {
    const dir = temporaryDir('authsvc-eml-');
    const sender = new EmlFileMailSender(`${dir.path}/mail`);
    const first = await sender.send(message(1));
    await sender.send(message(2));
    expect(first.destination).toMatch(/mail\/\d{4}-\d\d-\d\dT[\d-]+Z-0190-mail-1\.eml$/);
    const mails = await readEmlFolder(`${dir.path}/mail`);
    expect(mails.map((m) => m.messageId)).toEqual(['<0190-mail-1@authsvc.test>', '<0190-mail-2@authsvc.test>']);
    expect(mails[0]).toMatchObject({ subject: 'Reset your password', from: { value: [{ address: 'no-reply@tunes.example', name: 'Tunes' }] } });
    expect(mails[0]!.text).toContain('token=' + 't'.repeat(43));
    dir.remove();
  });
});

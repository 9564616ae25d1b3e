import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailMessage, MailSender } from '@authsvc/core';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

/**
 * "Sends" mail by writing each one as an RFC 5322 message (`.eml`) into a folder: the embedded mode's mail server,
 * so a developer reads the mail (and follows its link) without running one. The file name starts with the time, so
 * `ls` lists them in order; it is written under a temporary name and renamed, so a reader never sees half a mail.
 */
export class EmlFileMailSender implements MailSender {
  constructor(private readonly folder: string) {}

  async send(message: MailMessage): Promise<{ destination: string }> {
    const raw = await new MailComposer({
      messageId: message.messageId,
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      date: new Date(),
    })
      .compile()
      .build();
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const id = message.messageId.replace(/^<|@.*$/g, '').replace(/[^A-Za-z0-9-]/g, '');
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.eml`;
    const path = join(this.folder, name);
    await writeFile(`${path}.tmp`, raw, { mode: 0o600 });
    await rename(`${path}.tmp`, path);
    return { destination: path };
  }

  async close(): Promise<void> {}
}

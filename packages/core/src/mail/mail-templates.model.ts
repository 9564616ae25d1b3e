import type { MailKind } from '../domain/outgoing-mail.model.js';
import type { SignInDevice } from '../domain/known-device.model.js';

/** What a rendered mail says; the sender adds the addresses. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** Settings of the templates: where links point, and each subject. */
export interface MailTemplateSettings {
  /** The links are `<baseUrl>/<path>?token=...`: the page of the web app that calls the matching RPC. */
  baseUrl: string;
  /** The service's name as the mails call it. */
  productName: string;
  subjects: Record<MailKind, string>;
}

export const DEFAULT_MAIL_SUBJECTS: Record<MailKind, string> = {
  'verify-email': 'Confirm your email address',
  'reset-password': 'Reset your password',
  'confirm-email-change': 'Confirm your new email address',
  'email-change-notice': 'Your email address is being changed',
  'new-device': 'New sign-in to your account',
};

/** The page of the web app each link opens. */
export const LINK_PATHS: Record<Exclude<MailKind, 'email-change-notice' | 'new-device'>, string> = {
  'verify-email': 'verify-email',
  'reset-password': 'reset-password',
  'confirm-email-change': 'confirm-email-change',
};

export interface MailTemplateInput {
  kind: MailKind;
  username: string;
  /** The opened token, for the kinds that carry a link. */
  token: string | null;
  /** For email-change-notice: the new address. */
  newEmail: string | null;
  /** For new-device: the device and when it signed in. */
  device?: (SignInDevice & { at: Date }) | null;
  /** How long the link works, in ms. */
  validForMs: number | null;
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hour${ms === 3_600_000 ? '' : 's'}`;
  return `${Math.round(ms / 60_000)} minutes`;
}

/** The link of a mail: `<baseUrl>/<page>?token=<token>` (the token is base64url: no escaping needed). */
export function mailLink(settings: MailTemplateSettings, kind: keyof typeof LINK_PATHS, token: string): string {
  return `${settings.baseUrl.replace(/\/+$/, '')}/${LINK_PATHS[kind]}?token=${encodeURIComponent(token)}`;
}

/** Renders one mail, plain text and HTML saying the same. */
export function renderMail(settings: MailTemplateSettings, input: MailTemplateInput): MailContent {
  const subject = settings.subjects[input.kind];
  const hello = `Hello ${input.username},`;
  const product = settings.productName;
  let lines: string[];
  let link: string | null = null;
  if (input.kind === 'email-change-notice') {
    lines = [
      `Someone signed in to your ${product} account asked to change its email address to ${input.newEmail ?? 'another address'}.`,
      'Nothing changes until the new address is confirmed. If this was not you, change your password now: that cancels nothing by itself, but it ends every session of your account.',
    ];
  } else if (input.kind === 'new-device') {
    const device = input.device ?? null;
    lines = [
      `Your ${product} account was just signed in to from a device it had not been used on before:`,
      `Device: ${device?.userAgent ?? 'unknown'}; address: ${device?.clientAddress ?? 'unknown'}; at ${device?.at.toISOString().replace('T', ' ').slice(0, 16) ?? 'an unknown time'} UTC.`,
      'If this was you, there is nothing to do. If not, change your password now: that ends every session of your account.',
    ];
  } else {
    if (input.token === null) throw new Error(`a ${input.kind} mail needs a token`);
    link = mailLink(settings, input.kind, input.token);
    const valid = input.validForMs === null ? '' : ` The link works once, for ${duration(input.validForMs)}.`;
    const intro = {
      'verify-email': `Please confirm that this is the email address of your ${product} account.`,
      'reset-password': `Someone asked to reset the password of your ${product} account. If it was you, choose a new password here; if not, ignore this mail.`,
      'confirm-email-change': `Please confirm that this address should become the email address of your ${product} account.`,
    }[input.kind];
    lines = [intro + valid];
  }
  const text = [hello, '', ...lines.flatMap((line) => [line, '']), ...(link === null ? [] : [link, '']), `— ${product}`].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<p>${escapeHtml(hello)}</p>`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    ...(link === null ? [] : [`<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`]),
    `<p>— ${escapeHtml(product)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

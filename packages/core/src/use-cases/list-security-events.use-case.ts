import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import { isSecurityEventType, type SecurityEvent, type SecurityEventType } from '../domain/security-event.model.js';
import type { SecurityEventCursor, SecurityEventStore } from '../ports/security-event-store.port.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { requireAccount } from './account-lookup.service.js';

export interface ListSecurityEventsInput {
  /** The account whose events are read. */
  id: string;
  /** Only these types (SECURITY_EVENT_TYPES); all when empty. */
  types?: readonly string[];
  /** Only events at or after this instant. */
  since?: Date;
  /** Only events before this instant. */
  until?: Date;
  /** 1 to 100; 50 when absent or 0. */
  pageSize?: number;
  /** The `nextPageToken` of the previous page; the other fields must be the same as then. */
  pageToken?: string;
}

export interface ListSecurityEventsOutput {
  /** Newest first. */
  events: SecurityEvent[];
  /** Pass as `pageToken` for the next page; empty on the last page. */
  nextPageToken: string;
}

export const SECURITY_EVENT_PAGE = { default: 50, max: 100 } as const;

/** The page token: the last event of the page (occurredAt in ms, id), base64url JSON. Opaque to clients. */
function encodeToken(cursor: SecurityEventCursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt.getTime(), cursor.id]), 'utf8').toString('base64url');
}

function decodeToken(token: string): SecurityEventCursor | null {
  if (token.length > 200) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [ms, id] = value as unknown[];
    if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) return null;
    return { occurredAt: new Date(ms), id };
  } catch {
    return null;
  }
}

/**
 * The audit trail of an account, for the account itself or an admin: newest first, filtered by type and time,
 * keyset-paginated (a page token names the last event seen, so pages stay exact while new events arrive).
 */
export class ListSecurityEvents {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts'>,
    private readonly store: SecurityEventStore,
  ) {}

  async execute(caller: Caller, input: ListSecurityEventsInput): Promise<ListSecurityEventsOutput> {
    const principal = authorizeCaller('ListSecurityEvents', caller, input.id);
    const violations = new FieldViolations();
    const types: SecurityEventType[] = [];
    for (const type of input.types ?? []) {
      if (isSecurityEventType(type)) types.push(type);
      else violations.add('types', `unknown event type "${String(type).slice(0, 64)}"`);
    }
    const pageSize = input.pageSize === undefined || input.pageSize === 0 ? SECURITY_EVENT_PAGE.default : input.pageSize;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > SECURITY_EVENT_PAGE.max) {
      violations.add('page_size', `must be between 1 and ${SECURITY_EVENT_PAGE.max}`);
    }
    const cursor = input.pageToken ? decodeToken(input.pageToken) : undefined;
    if (cursor === null) violations.add('page_token', 'is not a page token of this RPC');
    if (input.since && input.until && input.since.getTime() >= input.until.getTime()) violations.add('until', 'must be after since');
    violations.throwIfAny();

    const accountId = principal.accountId === input.id ? principal.accountId : requireAccount(await this.deps.accounts.findById(input.id)).id;
    // One more than asked tells whether a next page exists without a second query.
    const rows = await this.store.list({
      accountId,
      types,
      ...(input.since ? { since: input.since } : {}),
      ...(input.until ? { until: input.until } : {}),
      ...(cursor ? { after: cursor } : {}),
      limit: pageSize + 1,
    });
    const events = rows.slice(0, pageSize);
    const last = events.at(-1);
    return { events, nextPageToken: rows.length > pageSize && last ? encodeToken(last) : '' };
  }
}

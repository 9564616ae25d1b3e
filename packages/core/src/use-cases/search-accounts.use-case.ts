import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { AccountKind, PublicProfile, Role } from '../domain/account.model.js';
import { isDisabled, normalizeEmail, normalizeUsername, toPublicProfile } from '../domain/account.model.js';
import { positionOf, searchOrderOf, type AccountFilter } from '../domain/account-search.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { FieldViolations } from '../validation/field-violations.errors.js';
import { searchPageToken } from './page-token.codec.js';

/** Accounts per page when the request names no size, and the most a page may hold. */
export const SEARCH_PAGE_SIZE = { default: 50, max: 100 } as const;
/** Longest prefix accepted (an email is at most 254 characters). */
const MAX_PREFIX_LENGTH = 254;

export interface SearchAccountsInput {
  /** Case-insensitive prefix of the username. */
  usernamePrefix?: string;
  /** Case-insensitive prefix of the email address. */
  emailPrefix?: string;
  kind?: AccountKind;
  role?: Role;
  /** true: only accounts disabled now; false: only accounts not disabled now. */
  disabled?: boolean;
  /** true: only accounts deleted and awaiting erasure; false: only accounts not deleted. */
  deleted?: boolean;
  /** Created at or after. */
  createdFrom?: Date;
  /** Created before. */
  createdBefore?: Date;
  /** 1 to 100; absent or 0: 50. */
  pageSize?: number;
  /** The `nextPageToken` of the previous page, with the same filters. */
  pageToken?: string;
}

export interface SearchAccountsOutput {
  /** `disabled` is null unless the account is disabled now. */
  accounts: PublicProfile[];
  /** Present when more accounts may match: pass it as `pageToken` for the next page. */
  nextPageToken: string | null;
}

/**
 * Finds accounts for admins, a page at a time: keyset pagination in the order searchOrderOf picks (username, email,
 * or creation time), so each match shows up exactly once however many pages, and a page costs one index range,
 * never an OFFSET. Accounts created or changed during the paging appear where their key falls.
 */
export class SearchAccounts {
  constructor(private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'clock'>) {}

  async execute(caller: Caller, input: SearchAccountsInput, signal?: AbortSignal): Promise<SearchAccountsOutput> {
    authorizeCaller('SearchAccounts', caller);
    const violations = new FieldViolations();
    const filter: AccountFilter = {};
    const prefix = (field: string, value: string | undefined, normalize: (v: string) => string): string | undefined => {
      if (value === undefined || value === '') return undefined;
      if (typeof value !== 'string' || value.length > MAX_PREFIX_LENGTH) {
        violations.add(field, `must be a string of at most ${MAX_PREFIX_LENGTH} characters`);
        return undefined;
      }
      const normalized = normalize(value);
      return normalized === '' ? undefined : normalized;
    };
    const usernamePrefix = prefix('username_prefix', input.usernamePrefix, normalizeUsername);
    const emailPrefix = prefix('email_prefix', input.emailPrefix, normalizeEmail);
    if (usernamePrefix !== undefined) filter.usernamePrefix = usernamePrefix;
    if (emailPrefix !== undefined) filter.emailPrefix = emailPrefix;
    if (input.kind !== undefined) filter.kind = input.kind;
    if (input.role !== undefined) filter.role = input.role;
    if (input.disabled !== undefined) filter.disabled = input.disabled;
    if (input.deleted !== undefined) filter.deleted = input.deleted;
    if (input.createdFrom !== undefined) filter.createdFrom = input.createdFrom;
    if (input.createdBefore !== undefined) filter.createdBefore = input.createdBefore;
    if (filter.createdFrom !== undefined && filter.createdBefore !== undefined && filter.createdFrom.getTime() >= filter.createdBefore.getTime()) {
      violations.add('created_before', 'must be after created_from');
    }
    const pageSize = input.pageSize === undefined || input.pageSize === 0 ? SEARCH_PAGE_SIZE.default : input.pageSize;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > SEARCH_PAGE_SIZE.max) {
      violations.add('page_size', `must be between 1 and ${SEARCH_PAGE_SIZE.max}`);
    }
    const after = input.pageToken === undefined || input.pageToken === '' ? undefined : searchPageToken.decode(filter, input.pageToken);
    if (after === null) violations.add('page_token', 'is not a page token of this search (its filters must be the same)');
    violations.throwIfAny();

    throwIfAborted(signal);
    const now = this.deps.clock.now();
    // One more than a page: whether it exists says if there is a next page, without a count.
    const found = await this.deps.accounts.search({ ...filter, now, ...(after ? { after } : {}) }, pageSize + 1);
    const page = found.slice(0, pageSize);
    const last = page.at(-1);
    const nextPageToken = found.length > pageSize && last !== undefined ? searchPageToken.encode(filter, positionOf(last, searchOrderOf(filter))) : null;
    // A timed disable that has ended shows as none, as everywhere else.
    const accounts = page.map((account) => ({ ...toPublicProfile(account), disabled: isDisabled(account, now) ? account.disabled : null }));
    return { accounts, nextPageToken };
  }
}

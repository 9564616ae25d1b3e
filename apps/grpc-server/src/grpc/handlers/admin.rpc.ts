import type { DisableAccountInput, SearchAccountsInput } from '@authsvc/core';
import type {
  DeleteAccountRequest,
  DeleteAccountResponse,
  DisableAccountRequest,
  DisableAccountResponse,
  EnableAccountRequest,
  EnableAccountResponse,
  ExportAccountDataRequest,
  ExportAccountDataResponse,
  ResetSecondFactorsRequest,
  ResetSecondFactorsResponse,
  RestoreAccountRequest,
  RestoreAccountResponse,
  SearchAccountsRequest,
  SearchAccountsResponse,
} from '@authsvc/proto/auth/v1/auth';
import { rpc } from '../rpc-handler.types.js';
import { RequestReader } from '../request.codec.js';
import { encodeAccountEntry, encodeSecondFactor } from '../response.codec.js';

export const searchAccounts = rpc<SearchAccountsRequest, SearchAccountsResponse>({
  operation: 'SearchAccounts',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const input: SearchAccountsInput = { pageSize: request.pageSize };
    if (request.usernamePrefix !== '') input.usernamePrefix = request.usernamePrefix;
    if (request.emailPrefix !== '') input.emailPrefix = request.emailPrefix;
    const kind = read.optionalKind('kind', request.kind);
    if (kind !== undefined) input.kind = kind;
    const role = read.optionalRole('role', request.role);
    if (role !== undefined) input.role = role;
    if (request.disabled !== undefined) input.disabled = request.disabled;
    if (request.deleted !== undefined) input.deleted = request.deleted;
    if (request.createdFrom !== undefined) input.createdFrom = request.createdFrom;
    if (request.createdBefore !== undefined) input.createdBefore = request.createdBefore;
    if (request.pageToken !== '') input.pageToken = request.pageToken;
    read.done();
    const page = await service.searchAccounts(caller, input, { signal });
    return { accounts: page.accounts.map(encodeAccountEntry), nextPageToken: page.nextPageToken ?? '' };
  },
});

export const disableAccount = rpc<DisableAccountRequest, DisableAccountResponse>({
  operation: 'DisableAccount',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const input: DisableAccountInput = { id: read.accountId('id', request.id), reason: read.required('reason', request.reason) };
    if (request.until !== undefined) input.until = request.until;
    read.done();
    return { account: encodeAccountEntry(await service.disableAccount(caller, input, { signal, clientAddress, userAgent })) };
  },
});

export const enableAccount = rpc<EnableAccountRequest, EnableAccountResponse>({
  operation: 'EnableAccount',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return { account: encodeAccountEntry(await service.enableAccount(caller, { id }, { signal, clientAddress, userAgent })) };
  },
});

export const exportAccountData = rpc<ExportAccountDataRequest, ExportAccountDataResponse>({
  operation: 'ExportAccountData',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return { json: JSON.stringify(await service.exportAccountData(caller, { id }, { signal })) };
  },
});

export const deleteAccount = rpc<DeleteAccountRequest, DeleteAccountResponse>({
  operation: 'DeleteAccount',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    // An empty password is "none": the use case asks for it only when the account deletes itself.
    const input = { id, ...(request.currentPassword === '' ? {} : { currentPassword: request.currentPassword }) };
    const { account, eraseAfter } = await service.deleteAccount(caller, input, { signal, clientAddress, userAgent });
    return { account: encodeAccountEntry(account), eraseAfter };
  },
});

export const restoreAccount = rpc<RestoreAccountRequest, RestoreAccountResponse>({
  operation: 'RestoreAccount',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return { account: encodeAccountEntry(await service.restoreAccount(caller, { id }, { signal, clientAddress, userAgent })) };
  },
});

export const resetSecondFactors = rpc<ResetSecondFactorsRequest, ResetSecondFactorsResponse>({
  operation: 'ResetSecondFactors',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    const { removed, sessionsRevoked } = await service.resetSecondFactors(caller, { id }, { signal, clientAddress, userAgent });
    return { removed: removed.map(encodeSecondFactor), sessionsRevoked };
  },
});

import type { UpdateArtistInput, UpdateUserInput } from '@authsvc/core';
import type {
  GetArtistRequest,
  GetArtistResponse,
  GetUserRequest,
  GetUserResponse,
  SetRoleRequest,
  SetRoleResponse,
  UpdateArtistRequest,
  UpdateArtistResponse,
  UpdateUserRequest,
  UpdateUserResponse,
} from '@authsvc/proto/auth/v1/auth';
import { rpc } from '../rpc-handler.types.js';
import { RequestReader } from '../request.codec.js';
import { encodeArtist, encodeArtistView, encodeUser, expectArtist, expectUser } from '../response.codec.js';

export const getUser = rpc<GetUserRequest, GetUserResponse>({
  operation: 'GetUser',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return { user: expectUser(await service.getUser(caller, { id }, { signal })) };
  },
});

export const getArtist = rpc<GetArtistRequest, GetArtistResponse>({
  operation: 'GetArtist',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return encodeArtistView(await service.getArtist(caller, { id }, { signal }));
  },
});

export const updateUser = rpc<UpdateUserRequest, UpdateUserResponse>({
  operation: 'UpdateUser',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const input: UpdateUserInput = { id: read.accountId('id', request.id) };
    // proto3 `optional`: a field absent from the request is undefined here and stays unchanged.
    if (request.username !== undefined) input.username = request.username;
    if (request.email !== undefined) input.email = request.email;
    if (request.gender !== undefined) input.gender = read.gender('gender', request.gender);
    if (request.country !== undefined) input.country = request.country;
    if (request.age !== undefined) input.age = request.age;
    read.done();
    return { user: expectUser(await service.updateUser(caller, input, { signal })) };
  },
});

export const updateArtist = rpc<UpdateArtistRequest, UpdateArtistResponse>({
  operation: 'UpdateArtist',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const input: UpdateArtistInput = { id: read.accountId('id', request.id) };
    if (request.username !== undefined) input.username = request.username;
    if (request.email !== undefined) input.email = request.email;
    if (request.author !== undefined) input.author = request.author;
    // Present and empty clears the producer (documented in the proto).
    if (request.producer !== undefined) input.producer = request.producer === '' ? null : request.producer;
    if (request.country !== undefined) input.country = request.country;
    if (request.description !== undefined) input.description = request.description;
    read.done();
    return { artist: expectArtist(await service.updateArtist(caller, input, { signal })) };
  },
});

export const setRole = rpc<SetRoleRequest, SetRoleResponse>({
  operation: 'SetRole',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    const role = read.role('role', request.role);
    read.done();
    const profile = await service.setRole(caller, { id, role }, { signal, clientAddress, userAgent });
    return profile.kind === 'user'
      ? { profile: { $case: 'user', value: encodeUser(profile) } }
      : { profile: { $case: 'artist', value: encodeArtist(profile) } };
  },
});

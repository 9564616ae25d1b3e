import type { RegisterArtistRequest, RegisterArtistResponse, RegisterUserRequest, RegisterUserResponse } from '@authsvc/proto/auth/v1/auth';
import { rpc } from '../rpc-handler.types.js';
import { RequestReader } from '../request.codec.js';
import { expectArtist, expectUser } from '../response.codec.js';

export const registerUser = rpc<RegisterUserRequest, RegisterUserResponse>({
  operation: 'RegisterUser',
  async handle(service, request, { signal, clientAddress, actingFor }) {
    const read = new RequestReader();
    const gender = read.gender('gender', request.gender);
    read.done();
    const { username, email, password, country, age } = request;
    const user = await service.registerUser({ username, email, password, gender, country, age }, { signal, clientAddress });
    actingFor(user.id);
    return { user: expectUser(user) };
  },
});

export const registerArtist = rpc<RegisterArtistRequest, RegisterArtistResponse>({
  operation: 'RegisterArtist',
  async handle(service, request, { signal, clientAddress, actingFor }) {
    const { username, email, password, author, country, description } = request;
    // Absent and "" both mean "no producer" (the proto documents it).
    const producer = request.producer === undefined || request.producer === '' ? null : request.producer;
    const artist = await service.registerArtist({ username, email, password, author, producer, country, description }, { signal, clientAddress });
    actingFor(artist.id);
    return { artist: expectArtist(artist) };
  },
});

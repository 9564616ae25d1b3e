import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createAuthClient, type AuthClient } from '@authsvc/client';
import { accessTokenOf, createHttpTokenAuth } from '@authsvc/client/express';
import { createTokenVerifier, type AccessTokenRole } from '@authsvc/client/verifier';

export interface PlaylistsSettings {
  /** host:port of the authentication service's gRPC API (ValidateToken). */
  authAddress: string;
  /** Its HTTP side port's key set, e.g. http://127.0.0.1:9464/.well-known/jwks.json. */
  jwksUrl: string;
  /** Its AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE. */
  issuer: string;
  audience: string;
}

/**
 * Another service of the platform: playlists, behind the authentication service's access tokens. Tokens are
 * verified locally against the service's published keys, and each one's session is checked with ValidateToken
 * (cached 5 s), so a logout is honoured here within seconds rather than when the token expires.
 */
export function createPlaylistsApp(settings: PlaylistsSettings): { app: Express; close(): void } {
  const auth: AuthClient = createAuthClient({ address: settings.authAddress });
  const verifier = createTokenVerifier({ issuer: settings.issuer, audience: settings.audience, jwks: settings.jwksUrl, revocation: 'check', client: auth });

  const app = express();
  app.get('/healthz', (_req, res) => void res.send('ok'));
  app.use(createHttpTokenAuth(verifier));
  app.get('/me/playlists', (req, res) => {
    const token = accessTokenOf(req)!;
    res.json({ owner: token.subject, role: token.role, playlists: [] });
  });
  app.get('/admin/playlists', requireRole('ADMIN'), (_req, res) => void res.json({ playlists: [] }));
  return { app, close: () => auth.close() };
}

/** Who may call a route: the role claim of the verified token. */
function requireRole(role: AccessTokenRole) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (accessTokenOf(req)?.role === role) return next();
    res.status(403).json({ error: 'forbidden' });
  };
}

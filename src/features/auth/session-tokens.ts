/**
 * Admin session tokens: HS JWTs signed with JWT_SESSION_SECRET. The algorithm is
 * pinned on verify, so `alg: none` or a token signed with the API key secret fails.
 */
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../../platform/config';
import { UnauthorizedError } from '../../platform/errors';
import type { SessionClaims } from '../../platform/http/context';
export type { SessionClaims };


export interface SessionTokens {
  issue(user: { id: number; rol: SessionClaims['rol']; empresa_id: string | null; sesion_epoca?: number }, now?: Date): { token: string; claims: SessionClaims };
  verify(token: string): SessionClaims;
}

export function createSessionTokens(config: Pick<Config, 'jwt'>): SessionTokens {
  const { sessionSecret, algorithm, sessionExpireHours } = config.jwt;
  const secretKey = crypto.createSecretKey(Buffer.from(sessionSecret, 'utf8')); // made once (see router-api-keys.ts)
  return {
    issue(user, now = new Date()) {
      const iat = Math.floor(now.getTime() / 1000);
      const claims: SessionClaims = {
        sub: String(user.id),
        rol: user.rol,
        empresa: user.empresa_id,
        jti: crypto.randomUUID(),
        type: 'session',
        ep: user.sesion_epoca ?? 0,
        iat,
        exp: iat + sessionExpireHours * 3600,
      };
      return { token: jwt.sign(claims, secretKey, { algorithm }), claims };
    },
    verify(token) {
      let payload: string | jwt.JwtPayload;
      try {
        payload = jwt.verify(token, secretKey, { algorithms: [algorithm] });
      } catch (error) {
        if (error instanceof jwt.TokenExpiredError) throw new UnauthorizedError('Token expirado');
        throw new UnauthorizedError('Token inválido');
      }
      if (typeof payload !== 'object' || payload.type !== 'session' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') {
        throw new UnauthorizedError('Token inválido');
      }
      return payload as SessionClaims;
    },
  };
}

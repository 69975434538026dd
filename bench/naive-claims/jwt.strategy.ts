import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';

export interface NaiveUser {
  nationalCode: string;
  membershipType: string;
}

/** passport-jwt with the key from identity's JWKS (jwks-rsa, cached), as the NestJS and jwks-rsa docs show. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: passportJwtSecret({
        cache: true,
        rateLimit: true,
        jwksRequestsPerMinute: 5,
        jwksUri: process.env.IDENTITY_JWKS_URL ?? 'http://127.0.0.1:3001/auth/jwks',
      }),
      algorithms: ['RS256'],
      issuer: 'darman-identity',
      audience: 'darman-portal',
    });
  }

  validate(payload: { sub: string; mt: string }): NaiveUser {
    return { nationalCode: payload.sub, membershipType: payload.mt };
  }
}

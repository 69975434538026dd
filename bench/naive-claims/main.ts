// The naive baseline of `npm run bench:read`: GET /api/v1/claims and its
// visibility rule written the way the NestJS documentation teaches, as one
// Express app (no gateway hop): @nestjs/platform-express, PassportModule with a
// passport-jwt JwtStrategy that verifies identity's RS256 access tokens on
// each request (keys from identity's JWKS through jwks-rsa's
// passportJwtSecret), a global ValidationPipe, and a Prisma client with model
// queries (findMany, findFirst, count) over the same claims database as the
// claims service. bench/read.bench.mjs starts it from its build output:
//   PORT=3105 DATABASE_URL=postgresql://…/darman_bench_read_claims IDENTITY_JWKS_URL=http://127.0.0.1:3001/auth/jwks \
//     node dist/bench/naive-claims/main.js
import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
app.setGlobalPrefix('api/v1');
app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true }));
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT ?? 3105), '127.0.0.1');

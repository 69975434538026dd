import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ClaimsController } from './claims.controller.js';
import { ClaimsService } from './claims.service.js';
import { HealthController } from './health.controller.js';
import { JwtStrategy } from './jwt.strategy.js';
import { PrismaService } from './prisma.service.js';

@Module({
  imports: [PassportModule],
  controllers: [ClaimsController, HealthController],
  providers: [PrismaService, JwtStrategy, ClaimsService],
})
export class AppModule {}

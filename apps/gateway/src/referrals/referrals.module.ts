import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { ReferralsController, ReferralVerificationController } from './referrals.controller.js';

/** Referral letters, answered by the referrals service; uploads are relayed as they stream. */
@Module({ imports: [AuthModule, ClientsModule], controllers: [ReferralVerificationController, ReferralsController] })
export class ReferralsModule {}

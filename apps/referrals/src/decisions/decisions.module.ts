import { Module } from '@nestjs/common';
import { ReferralsConsumer } from './referrals.consumer.js';

/** The referral unit's decisions and the provider capabilities referrals keep a copy of. */
@Module({ controllers: [ReferralsConsumer] })
export class DecisionsModule {}

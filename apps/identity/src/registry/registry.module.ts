import { Module } from '@nestjs/common';
import { AnnouncementsRepository } from './announcements.repository.js';
import { IdentityRegistry } from './identity-registry.js';
import { InsurersRepository } from './insurers.repository.js';
import { MembersConsumer } from './members.consumer.js';

/** Identity's view of `insurer.members.v1`: the member registry (libs/access), insurers and announcements. */
@Module({
  controllers: [MembersConsumer],
  providers: [IdentityRegistry, InsurersRepository, AnnouncementsRepository],
  exports: [IdentityRegistry, InsurersRepository, AnnouncementsRepository],
})
export class RegistryModule {}

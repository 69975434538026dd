import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { IsDateString } from 'class-validator';
import { ExpiryJob } from '../expiry/expiry.job.js';
import { Clock } from './clock.js';

class SetClockDto {
  @IsDateString({ strict: true }) now!: string;
}

/**
 * Test only (TEST_CLOCK, refused in production): moves the service's clock
 * and runs the expiry job at once, so an e2e test sees a letter expire.
 * Not routed by the gateway.
 */
@Controller('internal/test/clock')
export class TestClockController {
  constructor(
    private readonly clock: Clock,
    private readonly expiry: ExpiryJob,
  ) {}

  @Put()
  @HttpCode(200)
  async set(@Body() dto: SetClockDto): Promise<{ now: string; expired: number }> {
    this.clock.set(new Date(dto.now));
    return { now: this.clock.now().toISOString(), expired: await this.expiry.runOnce() };
  }
}

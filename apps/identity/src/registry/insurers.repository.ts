import { Injectable } from '@nestjs/common';
import type { InsurerUpsertedData } from '@darman/contracts';
import type { SqlExecutor } from '@darman/messaging';
import { jsonUpsertSql } from '@darman/platform';
import { PrismaService } from '../prisma/prisma.service.js';

const UPSERT_INSURERS = jsonUpsertSql('insurers', ['code'], { code: ['text', 'insurerCode'], name: 'text', logo_url: 'text' });

/** The only code that touches `insurers` (projected from InsurerUpserted). */
@Injectable()
export class InsurersRepository {
  constructor(private readonly db: PrismaService) {}

  async upsert(tx: SqlExecutor, insurers: InsurerUpsertedData[]): Promise<void> {
    if (insurers.length > 0) await tx.$executeRawUnsafe(UPSERT_INSURERS, JSON.stringify(insurers));
  }

  async deleteAll(tx: SqlExecutor): Promise<void> {
    await tx.$executeRawUnsafe('DELETE FROM insurers');
  }

  find(code: string) {
    return this.db.insurer.findUnique({ where: { code } });
  }
}

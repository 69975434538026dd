import { Injectable, NotFoundException } from '@nestjs/common';
import { normalizeForSearch, toJalali } from '@darman/persian';
import type { ClaimsQueryDto } from './claims-query.dto.js';
import type { NaiveUser } from './jwt.strategy.js';
import { PrismaService } from './prisma.service.js';

export interface ClaimPage {
  items: {
    claimId: string;
    contractNumber: string;
    contractTitle: string | null;
    admissionDate: string;
    admissionDateJalali: string;
    reason: string;
    kind: string;
    status: string;
    requestedAmount: number;
    payableAmount: number | null;
    patientNationalCode: string;
  }[];
  page: number;
  pageSize: number;
  total: number;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The claims service's visibility rule (DOMAIN.md, apps/claims/src/claims):
 * the caller's own claims and, as the contract's main member, their
 * dependents'; under the caller's active contract by default; claims of an
 * inactive contract are not listed; a contract or person the caller may not
 * see answers 404. Written with Prisma model queries.
 */
@Injectable()
export class ClaimsService {
  constructor(private readonly prisma: PrismaService) {}

  async list(user: NaiveUser, query: ClaimsQueryDto): Promise<ClaimPage> {
    const today = new Date(`${new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(new Date())}T00:00:00Z`);
    const enrollments = await this.prisma.registryEnrollment.findMany({
      where: { nationalCode: user.nationalCode, membershipType: user.membershipType },
    });
    const contracts = await this.prisma.registryContract.findMany({
      where: { contractNumber: { in: enrollments.map((e) => e.contractNumber) } },
      orderBy: [{ startDate: 'desc' }, { contractNumber: 'asc' }],
    });
    const enrolled = contracts.map((contract) => {
      const enrollment = enrollments.find((e) => e.contractNumber === contract.contractNumber)!;
      const active =
        contract.status === 'ACTIVE' &&
        contract.startDate <= today &&
        today <= contract.endDate &&
        enrollment.coverageStart <= today &&
        today <= enrollment.coverageEnd &&
        (enrollment.leftOn === null || enrollment.leftOn > today);
      return { contract, enrollment, active };
    });
    const chosen = query.contractNumber
      ? enrolled.find((e) => e.contract.contractNumber === query.contractNumber)
      : enrolled.find((e) => e.active);
    const empty: ClaimPage = { items: [], page: query.page, pageSize: query.pageSize, total: 0 };
    if (!chosen) {
      if (query.contractNumber) throw new NotFoundException();
      return empty;
    }
    const person = query.nationalCode ?? user.nationalCode;
    if (person !== user.nationalCode) {
      const dependent =
        chosen.enrollment.relation === 'MAIN' &&
        (await this.prisma.registryEnrollment.findFirst({
          where: { nationalCode: person, contractNumber: chosen.contract.contractNumber, mainMemberNationalCode: user.nationalCode },
        }));
      if (!dependent) throw new NotFoundException();
    }
    if (!chosen.active) return empty;

    const delayHours = Number(process.env.CLAIMS_VISIBILITY_DELAY_HOURS ?? 0);
    const where = {
      patientNationalCode: person,
      contractNumber: chosen.contract.contractNumber,
      status: query.status,
      searchText: query.q ? { contains: normalizeForSearch(query.q) } : undefined,
      firstSeenAt: { lte: new Date(Date.now() - delayHours * 3_600_000) },
    };
    const [claims, total] = await Promise.all([
      this.prisma.claim.findMany({
        where,
        orderBy: [{ admissionDate: 'desc' }, { claimId: 'desc' }],
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      }),
      this.prisma.claim.count({ where }),
    ]);
    return {
      items: claims.map((c) => ({
        claimId: c.claimId,
        contractNumber: c.contractNumber,
        contractTitle: chosen.contract.title,
        admissionDate: isoDate(c.admissionDate),
        admissionDateJalali: toJalali(isoDate(c.admissionDate)),
        reason: c.reason,
        kind: c.kind,
        status: c.status,
        requestedAmount: Number(c.requestedAmount),
        payableAmount: c.payableAmount === null ? null : Number(c.payableAmount),
        patientNationalCode: c.patientNationalCode,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }
}

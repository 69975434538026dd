import { Inject, Injectable } from '@nestjs/common';
import type {
  Page,
  ProviderDetailDto,
  ProviderFacetsDto,
  ProviderSearchQueryDto,
  ProviderSummaryDto,
  ReferralAdviceDto,
} from '@darman/contracts';
import { APP_CONFIG, CommonErrors } from '@darman/platform';
import type { ProvidersConfig } from '../config/providers.config.js';
import { ProvidersRepository, type ProviderRow } from './providers.repository.js';

function summary(row: ProviderRow): ProviderSummaryDto {
  return {
    providerId: row.provider_id,
    name: row.name,
    type: row.type,
    province: row.province,
    city: row.city,
    address: row.address,
    phone: row.phone,
    issuesReferral: row.issues_referral,
    onlineReferral: row.online_referral,
    contracted: row.contracted,
  };
}

/** The contracted medical centre directory (the seed's "medical centres status" page). */
@Injectable()
export class ProvidersService {
  constructor(
    private readonly repository: ProvidersRepository,
    @Inject(APP_CONFIG) private readonly config: ProvidersConfig,
  ) {}

  async search(query: ProviderSearchQueryDto): Promise<Page<ProviderSummaryDto>> {
    const { rows, total } = await this.repository.search(query);
    return { items: rows.map(summary), page: query.page, pageSize: query.pageSize, total };
  }

  facets(): Promise<ProviderFacetsDto> {
    return this.repository.facets();
  }

  async detail(providerId: string): Promise<ProviderDetailDto> {
    const row = await this.repository.findById(providerId);
    if (!row) throw CommonErrors.notFound();
    return {
      ...summary(row),
      fax: row.fax,
      website: row.website,
      location: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
      referralAdvice: this.advice(row),
    };
  }

  /**
   * What the member should do at this centre, as the seed explains it: with
   * online referral, go with the national card (the centre obtains the letter
   * with the national code); otherwise ask the referral unit for the letter in
   * advance (two business days before a planned admission).
   */
  advice(row: Pick<ProviderRow, 'contracted' | 'issues_referral' | 'online_referral'>): ReferralAdviceDto {
    const c = this.config;
    const unit = { name: c.REFERRAL_UNIT_NAME_FA, phone: c.REFERRAL_UNIT_PHONE, extension: c.REFERRAL_UNIT_EXTENSION ?? null };
    const phoneFa = `${c.REFERRAL_UNIT_PHONE}${c.REFERRAL_UNIT_EXTENSION ? ` داخلی ${c.REFERRAL_UNIT_EXTENSION}` : ''}`;
    const phoneEn = `${c.REFERRAL_UNIT_PHONE}${c.REFERRAL_UNIT_EXTENSION ? ` extension ${c.REFERRAL_UNIT_EXTENSION}` : ''}`;
    if (!row.contracted) {
      return {
        action: 'NOT_CONTRACTED',
        fa: 'این مرکز طرف قرارداد نیست و معرفی‌نامه برای آن صادر نمی‌شود؛ هزینه را پرداخت کنید و مدارک را برای رسیدگی به خسارت ارسال کنید.',
        en: 'This centre is not contracted and no referral letter can be issued for it; pay the bill and submit the documents as a reimbursement claim.',
        referralUnit: null,
      };
    }
    if (row.online_referral) {
      return {
        action: 'GO_WITH_NATIONAL_CARD',
        fa: 'این مرکز امکان صدور آنلاین معرفی‌نامه دارد: کافی است با کارت ملی به مرکز مراجعه کنید. مرکز با کد ملی شما معرفی‌نامه را دریافت می‌کند و جز فرانشیز هزینه‌ای پرداخت نمی‌کنید.',
        en: 'This centre obtains referral letters online: go there with your national card. The centre obtains the letter with your national code, and you pay nothing but the franchise.',
        referralUnit: null,
      };
    }
    if (row.issues_referral) {
      return {
        action: 'REQUEST_LETTER_IN_ADVANCE',
        fa: `این مرکز امکان صدور آنلاین معرفی‌نامه ندارد: پیش از مراجعه (برای بستری دو روز کاری قبل) معرفی‌نامه را از بخش «درخواست معرفی‌نامه» پرتال درخواست کنید یا با ${c.REFERRAL_UNIT_NAME_FA} به شماره ${phoneFa} تماس بگیرید.`,
        en: `This centre does not obtain referral letters online: request the letter before you go (two business days ahead for an admission) through the portal's referral request or by calling ${c.REFERRAL_UNIT_NAME_EN} on ${phoneEn}.`,
        referralUnit: unit,
      };
    }
    return {
      action: 'PAY_AND_CLAIM',
      fa: 'این مرکز طرف قرارداد است اما معرفی‌نامه نمی‌پذیرد؛ هزینه را پرداخت کنید و مدارک را برای رسیدگی به خسارت ارسال کنید.',
      en: 'This centre is contracted but does not accept referral letters; pay the bill and submit the documents as a reimbursement claim.',
      referralUnit: null,
    };
  }
}

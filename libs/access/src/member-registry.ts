import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ContractStatus, MembershipType, Relation } from '@darman/contracts';
import type { SqlExecutor } from '@darman/messaging';
import { normalizeForSearch, tehranDate } from '@darman/persian';
import { DATABASE, queryPage, type PageHead } from '@darman/platform';

/** Today's date in Tehran, `YYYY-MM-DD`; injectable so tests can set the day. */
export const REGISTRY_TODAY = Symbol('REGISTRY_TODAY');

/** The caller's name and insurer as the registry has them (their active contract first). */
export interface RegistryProfile {
  firstName: string;
  lastName: string;
  insurerCode: string | null;
  insurerName: string | null;
}

/** Who is asking: a portal account is one per (national code, membership type). */
export interface RegistryCaller {
  nationalCode: string;
  membershipType: MembershipType | string;
}

export interface EnrolledContract {
  contractNumber: string;
  title: string;
  policyholderName: string;
  insurerCode: string;
  insurerName: string;
  startDate: string;
  endDate: string;
  status: ContractStatus;
  /** Contract ACTIVE and today within its dates, and the member covered today and not departed. */
  active: boolean;
  relation: Relation;
}

export interface VisiblePerson {
  nationalCode: string;
  firstName: string;
  lastName: string;
  relation: Relation;
  isMain: boolean;
}

export interface PersonQuery {
  q?: string;
  page: number;
  pageSize: number;
}

const LIKE_SPECIALS = /[\\%_]/g;

/**
 * The authorisation model of DOMAIN.md, answered from a service's own copy of
 * the member registry (`registry_contracts`, `registry_enrollments`, fed by
 * `insurer.members.v1` through applyMemberRegistryEvents): a caller sees
 * themselves, and when they are the main member of a contract, every person
 * enrolled under it whose main member they are. Nobody else.
 */
/** SQL: enrolment `e` has not ended on `today` (its `leftOn` is later, or there is none). */
const notLeftSql = (e: string, today: string) => `(${e}.left_on IS NULL OR ${e}.left_on > ${today}::date)`;

/** SQL: enrolment `e` under contract `c` is active on `today` (DOMAIN.md: the contract's status and dates, the member's coverage). */
const activeSql = (e: string, c: string, today: string) =>
  `(${c}.status = 'ACTIVE' AND ${today}::date BETWEEN ${c}.start_date AND ${c}.end_date
    AND ${today}::date BETWEEN ${e}.coverage_start AND ${e}.coverage_end AND ${notLeftSql(e, today)})`;

/** SQL: the caller, enrolled as `e`, may see `person` under e's contract: themselves, or as its main member, their dependents. */
const seesSql = (e: string, caller: string, person: string) =>
  `(${person} = ${caller} OR (${e}.relation = 'MAIN' AND EXISTS (
     SELECT 1 FROM registry_enrollments pe
      WHERE pe.national_code = ${person} AND pe.contract_number = ${e}.contract_number AND pe.main_member_national_code = ${caller})))`;

@Injectable()
export class MemberRegistry {
  private readonly today: () => string;

  constructor(
    @Inject(DATABASE) private readonly db: SqlExecutor,
    @Optional() @Inject(REGISTRY_TODAY) today?: () => string,
  ) {
    this.today = today ?? (() => tehranDate());
  }

  /** The caller's name and insurer, from their active contract if any, else their latest; null when not enrolled. */
  async profileOf(caller: RegistryCaller): Promise<RegistryProfile | null> {
    const [row] = await this.db.$queryRawUnsafe<RegistryProfile[]>(
      `SELECT e.first_name AS "firstName", e.last_name AS "lastName", c.insurer_code AS "insurerCode", c.insurer_name AS "insurerName"
         FROM registry_enrollments e LEFT JOIN registry_contracts c ON c.contract_number = e.contract_number
        WHERE e.national_code = $1 AND e.membership_type = $2
        ORDER BY (c.status = 'ACTIVE') DESC NULLS LAST, c.end_date DESC NULLS LAST, e.updated_at DESC
        LIMIT 1`,
      caller.nationalCode,
      caller.membershipType,
    );
    return row ?? null;
  }

  /** Whether the person is enrolled (and has not left) under this membership type with this mobile on record. */
  async isEnrolledWithMobile(caller: RegistryCaller, mobile: string): Promise<boolean> {
    const [row] = await this.db.$queryRawUnsafe<{ ok: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM registry_enrollments
                       WHERE national_code = $1 AND membership_type = $2 AND mobile = $3 AND (left_on IS NULL OR left_on > $4::date)) AS ok`,
      caller.nationalCode,
      caller.membershipType,
      mobile,
      this.today(),
    );
    return row?.ok === true;
  }

  /** Insurers of the contracts the caller is enrolled in. */
  async insurerCodesOf(caller: RegistryCaller): Promise<string[]> {
    const rows = await this.db.$queryRawUnsafe<{ insurer_code: string }[]>(
      `SELECT DISTINCT c.insurer_code FROM registry_enrollments e JOIN registry_contracts c ON c.contract_number = e.contract_number
        WHERE e.national_code = $1 AND e.membership_type = $2`,
      caller.nationalCode,
      caller.membershipType,
    );
    return rows.map((r) => r.insurer_code);
  }

  /** Whether the caller may see this person's data under this contract (not once the caller has left it; a main member still sees a departed dependent's). */
  async canSee(caller: RegistryCaller, personNationalCode: string, contractNumber: string): Promise<boolean> {
    const [row] = await this.db.$queryRawUnsafe<{ ok: boolean }[]>(
      `SELECT EXISTS (
         SELECT 1 FROM registry_enrollments c
          WHERE c.national_code = $1 AND c.contract_number = $3 AND c.membership_type = $4
            AND ${notLeftSql('c', '$5')} AND ${seesSql('c', '$1', '$2')}
       ) AS ok`,
      caller.nationalCode,
      personNationalCode,
      contractNumber,
      caller.membershipType,
      this.today(),
    );
    return row?.ok === true;
  }

  /** Contracts under which the caller may see this person (canSee's rule), for lists that span contracts. */
  async contractsSeeing(caller: RegistryCaller, personNationalCode: string): Promise<string[]> {
    const rows = await this.db.$queryRawUnsafe<{ contract_number: string }[]>(
      `SELECT c.contract_number FROM registry_enrollments c
        WHERE c.national_code = $1 AND c.membership_type = $3 AND ${notLeftSql('c', '$4')} AND ${seesSql('c', '$1', '$2')}`,
      caller.nationalCode,
      personNationalCode,
      caller.membershipType,
      this.today(),
    );
    return rows.map((r) => r.contract_number);
  }

  /**
   * What a new request for this person under this contract needs: the caller
   * may see them (canSee) and the person's own enrolment is active today
   * (DOMAIN.md's active contract). Null otherwise.
   */
  async activeEnrollmentFor(
    caller: RegistryCaller,
    personNationalCode: string,
    contractNumber: string,
  ): Promise<{ mainMemberNationalCode: string } | null> {
    const [row] = await this.db.$queryRawUnsafe<{ mainMemberNationalCode: string }[]>(
      `SELECT p.main_member_national_code AS "mainMemberNationalCode"
         FROM registry_enrollments c
         JOIN registry_enrollments p ON p.national_code = $2 AND p.contract_number = c.contract_number
         JOIN registry_contracts rc ON rc.contract_number = c.contract_number
        WHERE c.national_code = $1 AND c.contract_number = $3 AND c.membership_type = $4
          AND ${notLeftSql('c', '$5')} AND ${seesSql('c', '$1', '$2')} AND ${activeSql('p', 'rc', '$5')}`,
      caller.nationalCode,
      personNationalCode,
      contractNumber,
      caller.membershipType,
      this.today(),
    );
    return row ?? null;
  }

  /** Where a notice about this person under this contract goes: their mobile on record, else their main member's. */
  async notificationMobile(personNationalCode: string, contractNumber: string): Promise<string | null> {
    const [row] = await this.db.$queryRawUnsafe<{ mobile: string | null }[]>(
      `SELECT coalesce(nullif(p.mobile, ''), nullif(m.mobile, '')) AS mobile
         FROM registry_enrollments p
         LEFT JOIN registry_enrollments m ON m.national_code = p.main_member_national_code AND m.contract_number = p.contract_number
        WHERE p.national_code = $1 AND p.contract_number = $2`,
      personNationalCode,
      contractNumber,
    );
    return row?.mobile ?? null;
  }

  /** National codes of every person the caller may see under the contract (empty when the caller is not enrolled in it). */
  async visibleNationalCodes(caller: RegistryCaller, contractNumber: string): Promise<string[]> {
    const rows = await this.db.$queryRawUnsafe<{ national_code: string }[]>(
      `SELECT p.national_code FROM registry_enrollments c
         JOIN registry_enrollments p ON p.contract_number = c.contract_number
          AND (p.national_code = c.national_code OR (c.relation = 'MAIN' AND p.main_member_national_code = c.national_code))
        WHERE c.national_code = $1 AND c.contract_number = $2 AND c.membership_type = $3`,
      caller.nationalCode,
      contractNumber,
      caller.membershipType,
    );
    return rows.map((r) => r.national_code);
  }

  /**
   * The contract a member's list answers for, as the head of the page's own
   * statement (queryPage): the named contract, or else the caller's first
   * active one (contractsOf's order). The CTE `scope` has at most that one
   * row; the head says whether it was found (`scope_found`), whether the
   * caller may see the person under it (`scope_visible`: canSee's rule) and
   * whether it is active today (`scope_active`). Its parameters start at `$first`.
   */
  listScope(
    caller: RegistryCaller,
    person: string,
    contractNumber: string | undefined,
    first: number,
  ): { head: PageHead; params: unknown[] } {
    const [c, mt, p, k, t] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
    return {
      params: [caller.nationalCode, caller.membershipType, person, contractNumber ?? null, this.today()],
      head: {
        ctes: `scope AS (
          SELECT * FROM (
            SELECT e.contract_number, rc.start_date,
                   ${activeSql('e', 'rc', t)} AS active,
                   (${notLeftSql('e', t)} AND ${seesSql('e', `${c}::text`, `${p}::text`)}) AS visible
              FROM registry_enrollments e JOIN registry_contracts rc ON rc.contract_number = e.contract_number
             WHERE e.national_code = ${c}::text AND e.membership_type = ${mt}::text) AS mine
           WHERE (${k}::text IS NULL AND mine.active) OR mine.contract_number = ${k}::text
           ORDER BY mine.active DESC, mine.start_date DESC, mine.contract_number
           LIMIT 1)`,
        columns: {
          scope_found: 'SELECT count(*) > 0 FROM scope',
          scope_visible: 'SELECT coalesce(bool_or(visible), false) FROM scope',
          scope_active: 'SELECT coalesce(bool_or(active), false) FROM scope',
        },
      },
    };
  }

  /** The contracts the caller is enrolled in under their membership type, newest first; contracts not yet received are left out. */
  async contractsOf(caller: RegistryCaller): Promise<EnrolledContract[]> {
    return this.db.$queryRawUnsafe<EnrolledContract[]>(
      `SELECT c.contract_number AS "contractNumber", c.title, c.policyholder_name AS "policyholderName",
              c.insurer_code AS "insurerCode", c.insurer_name AS "insurerName",
              to_char(c.start_date, 'YYYY-MM-DD') AS "startDate", to_char(c.end_date, 'YYYY-MM-DD') AS "endDate", c.status,
              ${activeSql('e', 'c', '$3')} AS active,
              e.relation
         FROM registry_enrollments e JOIN registry_contracts c ON c.contract_number = e.contract_number
        WHERE e.national_code = $1 AND e.membership_type = $2
        ORDER BY active DESC, c.start_date DESC, c.contract_number`,
      caller.nationalCode,
      caller.membershipType,
      this.today(),
    );
  }

  /**
   * The persons the caller may see under a contract (افراد تحت تکفل), main
   * member first; departed persons are left out. Null when the caller is not
   * enrolled in the contract, which routes answer as 404.
   */
  async visiblePersons(
    caller: RegistryCaller,
    contractNumber: string,
    query: PersonQuery,
  ): Promise<{ items: VisiblePerson[]; total: number } | null> {
    const [me] = await this.db.$queryRawUnsafe<{ relation: Relation }[]>(
      `SELECT relation FROM registry_enrollments WHERE national_code = $1 AND contract_number = $2 AND membership_type = $3`,
      caller.nationalCode,
      contractNumber,
      caller.membershipType,
    );
    if (!me) return null;
    const pattern = query.q ? `%${normalizeForSearch(query.q).replace(LIKE_SPECIALS, (c) => `\\${c}`)}%` : null;
    const { rows, total } = await queryPage<VisiblePerson & { birth_date: Date }>(
      this.db,
      `SELECT national_code AS "nationalCode", first_name AS "firstName", last_name AS "lastName", relation,
              relation = 'MAIN' AS "isMain", birth_date
         FROM registry_enrollments
        WHERE contract_number = $1 AND (national_code = $2 OR ($3 AND main_member_national_code = $2))
          AND (left_on IS NULL OR left_on > $4::date) AND ($5::text IS NULL OR search_text LIKE $5)`,
      `"isMain" DESC, array_position(ARRAY['SPOUSE','CHILD','PARENT','OTHER'], relation), birth_date, "nationalCode"`,
      [contractNumber, caller.nationalCode, me.relation === 'MAIN', this.today(), pattern],
      query,
    );
    return { items: rows.map(({ birth_date, ...person }) => person), total };
  }
}

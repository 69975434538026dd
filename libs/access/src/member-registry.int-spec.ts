// The member registry projection and authoriser against a real PostgreSQL
// database (identity's migrations), fed events the way the consumer does:
// recorded in the inbox, then folded, in one transaction.
import { randomUUID } from 'node:crypto';
import { Topics, type NewEvent } from '@darman/contracts';
import { buildEvent, claimNewEvents, PgTransactionalDb, type ConsumedEvent } from '@darman/messaging';
import { queryPage } from '@darman/platform';
import { contractUpserted, createServiceDatabase, dropDatabase, memberEnrolled, newNationalCode } from '@darman/testing';
import type { ContractEvent } from '@darman/contracts';
import { MemberRegistry } from './member-registry.js';
import { MemberRegistryProjection, type RegistryEventType } from './member-registry.projection.js';

describe('member registry (libs/access) on PostgreSQL', () => {
  let url: string;
  /** The registry's reads and the consumer's writes, each on its own node-postgres connection. */
  let db: PgTransactionalDb;
  let consumerDb: PgTransactionalDb;
  const projection = new MemberRegistryProjection();
  let registry: MemberRegistry;
  let offset = 0;

  beforeAll(async () => {
    url = await createServiceDatabase('identity');
    db = new PgTransactionalDb(url);
    consumerDb = new PgTransactionalDb(url);
    registry = new MemberRegistry(db, () => '2026-01-15');
  });

  afterAll(async () => {
    await db?.$disconnect();
    await consumerDb?.$disconnect();
    await dropDatabase(url);
  });

  /** Delivers events as one consumer batch; returns their envelopes (to redeliver them). */
  async function deliver(...events: NewEvent[]): Promise<NewEvent[]> {
    const built = events.map((e) => buildEvent(Topics.insurerMembers, { eventId: randomUUID(), ...e }, 'asmari-core'));
    await redeliver(built);
    return built;
  }

  async function redeliver(events: NewEvent[]): Promise<void> {
    const consumed: ConsumedEvent[] = events.map((event) => ({
      event: buildEvent(Topics.insurerMembers, event, 'asmari-core'),
      topic: Topics.insurerMembers,
      partition: 0,
      offset: String(offset++),
    }));
    await consumerDb.$transaction(async (tx) =>
      projection.apply(
        tx,
        (await claimNewEvents(tx, 'it', consumed)).map((c) => c.event as unknown as ContractEvent<RegistryEventType>),
      ),
    );
  }

  function family() {
    const contractNumber = `C${randomUUID().slice(0, 8)}`;
    const main = newNationalCode();
    const spouse = newNationalCode();
    const child = newNationalCode();
    return { contractNumber, main, spouse, child, caller: (nationalCode: string) => ({ nationalCode, membershipType: 'GROUP' }) };
  }

  it('keeps a member enrolled before their contract arrives and links them when it does', async () => {
    const f = family();
    await deliver(memberEnrolled({ nationalCode: f.main, contractNumber: f.contractNumber, mainMemberNationalCode: f.main }));
    expect(await registry.contractsOf(f.caller(f.main))).toEqual([]);
    expect((await registry.visiblePersons(f.caller(f.main), f.contractNumber, { page: 1, pageSize: 10 }))?.total).toBe(1);

    await deliver(contractUpserted({ contractNumber: f.contractNumber }));
    const contracts = await registry.contractsOf(f.caller(f.main));
    expect(contracts).toEqual([
      expect.objectContaining({
        contractNumber: f.contractNumber,
        startDate: '2024-03-20',
        status: 'ACTIVE',
        active: true,
        relation: 'MAIN',
      }),
    ]);
  });

  it('lets the main member see their dependents and a dependent see only themselves', async () => {
    const f = family();
    const other = newNationalCode();
    await deliver(
      contractUpserted({ contractNumber: f.contractNumber }),
      memberEnrolled({ nationalCode: f.main, contractNumber: f.contractNumber, mainMemberNationalCode: f.main }),
      memberEnrolled({ nationalCode: f.spouse, contractNumber: f.contractNumber, mainMemberNationalCode: f.main, relation: 'SPOUSE' }),
      memberEnrolled({ nationalCode: f.child, contractNumber: f.contractNumber, mainMemberNationalCode: f.main, relation: 'CHILD' }),
      memberEnrolled({ nationalCode: other, contractNumber: f.contractNumber, mainMemberNationalCode: other, relation: 'MAIN' }),
    );
    const mainView = await registry.visiblePersons(f.caller(f.main), f.contractNumber, { page: 1, pageSize: 10 });
    expect(mainView?.items.map((p) => [p.nationalCode, p.relation, p.isMain])).toEqual([
      [f.main, 'MAIN', true],
      [f.spouse, 'SPOUSE', false],
      [f.child, 'CHILD', false],
    ]);
    const childView = await registry.visiblePersons(f.caller(f.child), f.contractNumber, { page: 1, pageSize: 10 });
    expect(childView?.items.map((p) => p.nationalCode)).toEqual([f.child]);

    expect(await registry.canSee(f.caller(f.main), f.child, f.contractNumber)).toBe(true);
    expect(await registry.canSee(f.caller(f.child), f.child, f.contractNumber)).toBe(true);
    expect(await registry.canSee(f.caller(f.child), f.main, f.contractNumber)).toBe(false);
    expect(await registry.canSee(f.caller(f.spouse), f.child, f.contractNumber)).toBe(false);
    // Another main member of the same contract sees none of this family.
    expect(await registry.canSee(f.caller(other), f.spouse, f.contractNumber)).toBe(false);
    // The wrong membership type is another account.
    expect(await registry.canSee({ nationalCode: f.main, membershipType: 'FUND' }, f.child, f.contractNumber)).toBe(false);
    expect(await registry.visiblePersons(f.caller(f.main), 'no-such-contract', { page: 1, pageSize: 10 })).toBeNull();
    expect((await registry.visibleNationalCodes(f.caller(f.main), f.contractNumber)).sort()).toEqual([f.main, f.spouse, f.child].sort());
  });

  it('never lets a lower sequence overwrite newer state, and applies an update that came before its enrolment', async () => {
    const f = family();
    const enrolled = memberEnrolled(
      { nationalCode: f.main, contractNumber: f.contractNumber, mainMemberNationalCode: f.main, firstName: 'اول' },
      1,
    );
    const update = (firstName: string, sequence: number): NewEvent => ({
      eventType: 'MemberUpdated',
      subject: f.main,
      sequence,
      data: { nationalCode: f.main, contractNumber: f.contractNumber, firstName },
    });
    await deliver(update('سوم', 3));
    expect(await registry.visiblePersons(f.caller(f.main), f.contractNumber, { page: 1, pageSize: 10 })).toBeNull();
    await deliver(enrolled);
    await deliver(update('دوم', 2));
    const view = await registry.visiblePersons(f.caller(f.main), f.contractNumber, { page: 1, pageSize: 10 });
    expect(view?.items[0]?.firstName).toBe('سوم');
  });

  it('changes nothing on a redelivered event, and hides a departed dependent from the list but keeps their history visible', async () => {
    const f = family();
    await deliver(
      contractUpserted({ contractNumber: f.contractNumber }),
      memberEnrolled({ nationalCode: f.main, contractNumber: f.contractNumber, mainMemberNationalCode: f.main }),
      memberEnrolled({ nationalCode: f.child, contractNumber: f.contractNumber, mainMemberNationalCode: f.main }),
    );
    const left = await deliver({
      eventType: 'MemberLeft',
      subject: f.child,
      data: { nationalCode: f.child, contractNumber: f.contractNumber, leftOn: '2025-12-31' },
    });
    await redeliver(left);
    const view = await registry.visiblePersons(f.caller(f.main), f.contractNumber, { page: 1, pageSize: 10 });
    expect(view?.items.map((p) => p.nationalCode)).toEqual([f.main]);
    expect(await registry.canSee(f.caller(f.main), f.child, f.contractNumber)).toBe(true);
    // The person who left no longer sees anything under the contract, not even their own claims.
    expect(await registry.canSee(f.caller(f.child), f.child, f.contractNumber)).toBe(false);
    // The person who left no longer sees anything under the contract, not even their own claims.
    expect(await registry.canSee(f.caller(f.child), f.child, f.contractNumber)).toBe(false);
    const [{ n }] = await db.$queryRawUnsafe<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM registry_enrollments WHERE national_code = $1',
      f.child,
    );
    expect(n).toBe(1);
  });

  it("decides a list's contract, visibility and activity in the page's own statement (listScope)", async () => {
    const f = family();
    const old = `${f.contractNumber}-OLD`;
    const stranger = newNationalCode();
    await deliver(
      contractUpserted({ contractNumber: f.contractNumber }),
      contractUpserted({ contractNumber: old, startDate: '2020-03-20', endDate: '2023-03-20', status: 'TERMINATED' }),
      memberEnrolled({ nationalCode: f.main, contractNumber: f.contractNumber, mainMemberNationalCode: f.main }),
      memberEnrolled({ nationalCode: f.main, contractNumber: old, mainMemberNationalCode: f.main }),
      memberEnrolled({ nationalCode: f.child, contractNumber: f.contractNumber, mainMemberNationalCode: f.main }),
      memberEnrolled({ nationalCode: stranger, contractNumber: `${f.contractNumber}-X`, mainMemberNationalCode: stranger }),
    );
    const scope = async (caller: string, person: string, contractNumber?: string) => {
      const { head, params } = registry.listScope(f.caller(caller), person, contractNumber, 1);
      const page = await queryPage<{ contract_number: string }, { scope_found: boolean; scope_visible: boolean; scope_active: boolean }>(
        db,
        'SELECT contract_number FROM scope WHERE visible AND active',
        'contract_number',
        params,
        { page: 1, pageSize: 10 },
        head,
      );
      return { ...page.head, shown: page.rows.map((r) => r.contract_number) };
    };
    const shown = (contract: string) => ({ scope_found: true, scope_visible: true, scope_active: true, shown: [contract] });
    // The main member: their first active contract by default, themselves and their dependent.
    expect(await scope(f.main, f.main)).toEqual(shown(f.contractNumber));
    expect(await scope(f.main, f.child)).toEqual(shown(f.contractNumber));
    // A named contract that has ended: found and visible, not active.
    expect(await scope(f.main, f.main, old)).toEqual({ scope_found: true, scope_visible: true, scope_active: false, shown: [] });
    // A person the caller may not see, a contract they are not in, a dependent looking at the main member.
    expect(await scope(f.main, stranger)).toEqual({ scope_found: true, scope_visible: false, scope_active: true, shown: [] });
    expect(await scope(f.main, f.main, `${f.contractNumber}-X`)).toEqual({
      scope_found: false,
      scope_visible: false,
      scope_active: false,
      shown: [],
    });
    expect(await scope(f.child, f.main)).toEqual({ scope_found: true, scope_visible: false, scope_active: true, shown: [] });
    // Once the dependent has left: no active contract of theirs, and the named one is no longer visible to them.
    await deliver({
      eventType: 'MemberLeft',
      subject: f.child,
      data: { nationalCode: f.child, contractNumber: f.contractNumber, leftOn: '2026-01-15' },
    });
    expect((await scope(f.child, f.child)).scope_found).toBe(false);
    expect(await scope(f.child, f.child, f.contractNumber)).toEqual({
      scope_found: true,
      scope_visible: false,
      scope_active: false,
      shown: [],
    });
    // The main member still sees the departed dependent's history under the contract.
    expect(await scope(f.main, f.child)).toEqual(shown(f.contractNumber));
  });

  it('searches names with Persian normalisation and pages with the total', async () => {
    const f = family();
    await deliver(
      memberEnrolled({ nationalCode: f.main, contractNumber: f.contractNumber, mainMemberNationalCode: f.main, firstName: 'علی' }),
      memberEnrolled({
        nationalCode: f.spouse,
        contractNumber: f.contractNumber,
        mainMemberNationalCode: f.main,
        relation: 'SPOUSE',
        firstName: 'مریم',
        lastName: 'کاظمی',
      }),
      memberEnrolled({ nationalCode: f.child, contractNumber: f.contractNumber, mainMemberNationalCode: f.main, firstName: 'سارا' }),
    );
    // Arabic Kaf and Yeh in the query match the Persian letters stored.
    const arabic = await registry.visiblePersons(f.caller(f.main), f.contractNumber, { q: 'كاظمي', page: 1, pageSize: 10 });
    expect(arabic?.items.map((p) => p.nationalCode)).toEqual([f.spouse]);
    const byCode = await registry.visiblePersons(f.caller(f.main), f.contractNumber, { q: f.child.slice(2, 8), page: 1, pageSize: 10 });
    expect(byCode?.items.map((p) => p.nationalCode)).toEqual([f.child]);
    const page2 = await registry.visiblePersons(f.caller(f.main), f.contractNumber, { page: 2, pageSize: 2 });
    expect(page2).toEqual({ total: 3, items: [expect.objectContaining({ nationalCode: f.child })] });
    const past = await registry.visiblePersons(f.caller(f.main), f.contractNumber, { page: 5, pageSize: 2 });
    expect(past).toEqual({ total: 3, items: [] });
  });
});

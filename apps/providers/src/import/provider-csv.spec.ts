import { parseProviderCsv } from './provider-csv.js';
import { searchTerms } from '../directory/provider-search.sql.js';

const HEADER = 'providerId,name,type,province,city,address,phone,fax,website,issuesReferral,onlineReferral,contracted,lat,lng';

describe('parseProviderCsv', () => {
  it('turns good rows into ProviderUpserted events and reports bad rows by line, keeping the good ones', () => {
    const csv = [
      HEADER,
      '1001,بیمارستان شفا,PRIVATE_HOSPITAL,فارس,شیراز,خیابان زند,071-32301000,,,بله,true,1,29.61,52.53',
      '1002,بیمارستان نمونه,SPACESHIP,فارس,شیراز,خیابان زند,,,,true,false,true,,',
      '1003,کلینیک بی‌نام,CLINIC,فارس,شیراز',
      '1004,داروخانه,PHARMACY,,جهرم,میدان اصلی,,,,no,no,maybe,,',
      '۱۰۰۵,آزمایشگاه پارس,LAB,تهران,تهران,خیابان ولیعصر,۰۲۱-۸۸۰۰۰۰۰۰,,,false,false,true,,',
    ].join('\n');
    const { events, problems } = parseProviderCsv(csv, 'test-import');
    expect(events.map((e) => e.subject)).toEqual(['1001', '1005']);
    expect(events[0]!.data).toMatchObject({
      issuesReferral: true,
      onlineReferral: true,
      contracted: true,
      location: { lat: 29.61, lng: 52.53 },
    });
    expect(events[0]!.source).toBe('test-import');
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5]);
    expect(problems[0]!.reason).toContain('type');
    expect(problems[1]!.reason).toContain('14 fields');
    expect(problems[2]!.reason).toContain('contracted');
  });

  it('gives the same row the same event id, so a second import changes nothing', () => {
    const csv = `${HEADER}\n1001,بیمارستان شفا,PRIVATE_HOSPITAL,فارس,شیراز,خیابان زند,,,,true,true,true,,`;
    expect(parseProviderCsv(csv, 's').events[0]!.eventId).toBe(parseProviderCsv(csv, 's').events[0]!.eventId);
  });
});

describe('searchTerms', () => {
  it('normalises Arabic letters, ZWNJ and spacing and keeps word order free', () => {
    expect(searchTerms('بيمارستان شفا')).toEqual(['بیمارستان', 'شفا']);
    expect(searchTerms('بیمارستان\u200cشفا')).toEqual(['بیمارستان', 'شفا']);
    expect(searchTerms('  شفا   شیراز ')).toEqual(['شفا', 'شیراز']);
  });

  it('matches phone numbers by their digits whatever digits and separators were typed', () => {
    expect(searchTerms('۰۷۱-۳۲۳۰۱۰۰۰')).toEqual(['07132301000']);
    expect(searchTerms('(071) 3230')).toEqual(['071', '3230']);
  });
});

import {
  isValidNationalCode,
  isValidSheba,
  maskSheba,
  normalizeMobile,
  normalizeNationalCode,
  toAsciiDigits,
  withNationalCodeCheckDigit,
  toJalali,
  fromJalali,
  tehranDate,
  toJalaliInstant,
  normalizeForSearch,
} from './index.js';

describe('toAsciiDigits', () => {
  it('converts Persian and Arabic-Indic digits and leaves other text alone', () => {
    expect(toAsciiDigits('۱۷۲۲۱۶۹ و ٠١٢٣٤٥٦٧٨٩ abc')).toBe('1722169 و 0123456789 abc');
  });
});

describe('national code', () => {
  it('accepts a code whose check digit matches (remainder >= 2)', () => {
    // 0499370899: s = 0*10+4*9+9*8+9*7+3*6+7*5+0*4+8*3+9*2 = 266, 266 % 11 = 2, check = 9
    expect(isValidNationalCode('0499370899')).toBe(true);
  });
  it('rejects the same code with a wrong check digit', () => {
    expect(isValidNationalCode('0499370898')).toBe(false);
  });
  it('accepts Persian digits and pads 8–9 digit input', () => {
    expect(normalizeNationalCode('۰۴۹۹۳۷۰۸۹۹')).toBe('0499370899');
    const code = withNationalCodeCheckDigit('001234567');
    expect(isValidNationalCode(code.slice(2))).toBe(true);
  });
  it('rejects codes whose digits 4 to 9 are all zero, letters and wrong lengths', () => {
    expect(isValidNationalCode('1110000001')).toBe(false);
    expect(isValidNationalCode('12345abc90')).toBe(false);
    expect(isValidNationalCode('1234567')).toBe(false);
    expect(isValidNationalCode('12345678901')).toBe(false);
  });
  it('builds valid codes for fixtures', () => {
    for (const prefix of ['228112345', '000000001', '987654321']) {
      expect(isValidNationalCode(withNationalCodeCheckDigit(prefix))).toBe(true);
    }
  });
});

describe('Sheba', () => {
  it('accepts a valid IBAN, with Persian digits and spaces, and rejects a changed digit', () => {
    expect(isValidSheba('IR062960000000100324200001')).toBe(true);
    expect(isValidSheba('ir06 2960 0000 0010 0324 2000 01')).toBe(true);
    expect(isValidSheba('IR۰۶۲۹۶۰۰۰۰۰۰۰۱۰۰۳۲۴۲۰۰۰۰۱')).toBe(true);
    expect(isValidSheba('IR062960000000100324200002')).toBe(false);
    expect(isValidSheba('DE062960000000100324200001')).toBe(false);
  });
  it('masks all but the country and the last four digits', () => {
    expect(maskSheba('IR062960000000100324200001')).toBe('IR••••••••••••••••••••0001');
  });
});

describe('mobile', () => {
  it.each([
    ['09121234567', '09121234567'],
    ['+989121234567', '09121234567'],
    ['00989121234567', '09121234567'],
    ['۰۹۱۲۱۲۳۴۵۶۷', '09121234567'],
    ['0912 123 4567', '09121234567'],
  ])('normalises %s', (input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
  });
  it('rejects landlines and short numbers', () => {
    expect(normalizeMobile('02122514788')).toBeNull();
    expect(normalizeMobile('0912123456')).toBeNull();
  });
});

describe('Jalali dates', () => {
  it.each([
    ['2019-09-05', '1398/06/14'],
    ['2019-10-18', '1398/07/26'],
    ['2019-11-03', '1398/08/12'],
    ['2019-11-11', '1398/08/20'],
    ['2024-03-20', '1403/01/01'],
  ])('%s is %s and back', (iso, jalali) => {
    expect(toJalali(iso)).toBe(jalali);
    expect(fromJalali(jalali)).toBe(iso);
  });
  it('reads Persian digits and refuses impossible dates', () => {
    expect(fromJalali('۱۳۹۸/۰۶/۱۴')).toBe('2019-09-05');
    expect(() => fromJalali('1398/13/01')).toThrow(RangeError);
    expect(() => toJalali('2019-9-5')).toThrow(RangeError);
  });
  it('takes the Tehran calendar date of an instant', () => {
    // 21:00 UTC is already the next day in Tehran (+03:30).
    expect(tehranDate(new Date('2019-09-04T21:00:00Z'))).toBe('2019-09-05');
    expect(toJalaliInstant(new Date('2019-09-04T21:00:00Z'))).toBe('1398/06/14');
  });
});

describe('normalizeForSearch', () => {
  it('makes Arabic and Persian spellings, spacing and ZWNJ the same query', () => {
    expect(normalizeForSearch('بيمارستان شفا')).toBe(normalizeForSearch('بیمارستان  شفا'));
    expect(normalizeForSearch('كلينيك\u200cها')).toBe('کلینیک ها');
    expect(normalizeForSearch('خانۀ سلامة')).toBe('خانه سلامه');
    expect(normalizeForSearch('مـحـمّد')).toBe('محمد');
    expect(normalizeForSearch(' Tel ۰۷۱-۳۲۳ ')).toBe('tel 071-323');
  });
});

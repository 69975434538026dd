// The directory row of a provider: what search matches and what the filters read.
import type { ProviderUpsertedData } from '@darman/contracts';
import { providerRow, providerSearchText } from './provider-fold.js';

const shafa: ProviderUpsertedData = {
  providerId: 'P-SHAFA',
  name: 'بيمارستان شفا',
  type: 'PRIVATE_HOSPITAL',
  province: 'فارس',
  city: 'شيراز',
  address: 'خیابان زند، کوچه ۳',
  phone: '071-3233 4455',
  fax: '(071) 32330000',
  issuesReferral: true,
  onlineReferral: true,
  contracted: true,
  location: { lat: 29.61, lng: 52.53 },
};

describe('provider row', () => {
  it('indexes name, place and address normalised, and phone and fax both as digit groups and as one run of digits', () => {
    expect(providerSearchText(shafa)).toBe(
      'بیمارستان شفا فارس شیراز خیابان زند، کوچه 3 071 3233 4455 07132334455 071 32330000 07132330000',
    );
  });

  it('leaves out what a provider does not have', () => {
    const bare: ProviderUpsertedData = { ...shafa, province: undefined, phone: undefined, fax: undefined, location: undefined };
    expect(providerSearchText(bare)).toBe('بیمارستان شفا شیراز خیابان زند، کوچه 3');
    expect(providerRow(bare)).toEqual(expect.objectContaining({ lat: null, lng: null, provinceNorm: null }));
  });

  it('flattens the location and keeps every field of the event, with the normalised columns the filters use', () => {
    expect(providerRow(shafa)).toEqual({
      ...shafa,
      lat: 29.61,
      lng: 52.53,
      nameNorm: 'بیمارستان شفا',
      provinceNorm: 'فارس',
      cityNorm: 'شیراز',
      searchText: providerSearchText(shafa),
    });
  });
});

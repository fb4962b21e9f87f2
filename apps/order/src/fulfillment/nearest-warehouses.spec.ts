import { warehousesNearest } from './nearest-warehouses';

const address = (country: string) => ({
  name: 'Ada Lovelace',
  line1: '1 Main St',
  city: 'Anywhere',
  postalCode: '00000',
  country,
});

describe('the warehouses nearest a shipping address', () => {
  it("are its region's, nearest first (a region ships only to its own countries)", () => {
    expect(warehousesNearest(address('US'), 'us')).toEqual(['us-east', 'eu-west', 'ap-south']);
    expect(warehousesNearest(address('DE'), 'eu')).toEqual(['eu-west', 'us-east', 'ap-south']);
    expect(warehousesNearest(address('JP'), 'ap')).toEqual(['ap-south', 'us-east', 'eu-west']);
  });
});

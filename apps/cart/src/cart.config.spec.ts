import { cartLimits } from './cart.config';

describe('cart limits configuration', () => {
  it('defaults to 10 units per SKU and 50 lines', () => {
    expect(cartLimits({})).toEqual({ maxQuantityPerSku: 10, maxLines: 50 });
  });

  it('reads CART_MAX_QUANTITY_PER_SKU and CART_MAX_LINES, and refuses a per-SKU limit out of 1..1000', () => {
    expect(cartLimits({ CART_MAX_QUANTITY_PER_SKU: '25', CART_MAX_LINES: '5' })).toEqual({
      maxQuantityPerSku: 25,
      maxLines: 5,
    });
    expect(() => cartLimits({ CART_MAX_QUANTITY_PER_SKU: '0' })).toThrow(
      /CART_MAX_QUANTITY_PER_SKU/,
    );
    expect(() => cartLimits({ CART_MAX_QUANTITY_PER_SKU: '1001' })).toThrow(
      /CART_MAX_QUANTITY_PER_SKU/,
    );
  });
});

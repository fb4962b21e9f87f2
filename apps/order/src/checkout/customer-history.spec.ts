import { customerHistoryOf } from './customer-history';

const order = (amount: number, currency: 'USD' | 'EUR') => ({
  totals: {
    subtotal: { amount, currency },
    discount: { amount: 0, currency },
    shipping: { amount: 0, currency },
    tax: { amount: 0, currency },
    total: { amount, currency },
  },
});

describe('customerHistoryOf', () => {
  it('has no average for a customer without orders', () => {
    expect(customerHistoryOf([], 'USD')).toEqual({ orderCount: 0 });
  });

  it('counts every order and averages those in the checkout’s currency', () => {
    expect(
      customerHistoryOf([order(1_000, 'USD'), order(2_001, 'USD'), order(9_000, 'EUR')], 'USD'),
    ).toEqual({ orderCount: 3, averageOrderAmount: { amount: 1_501, currency: 'USD' } });
  });

  it('has no average when no order is in the checkout’s currency', () => {
    expect(customerHistoryOf([order(9_000, 'EUR')], 'USD')).toEqual({ orderCount: 1 });
  });
});

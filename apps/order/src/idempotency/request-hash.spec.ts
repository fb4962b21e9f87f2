import { canonicalJson, requestHashOf } from './request-hash';

describe('requestHashOf', () => {
  it('is the same for bodies that differ only in key order, at any depth', () => {
    const a = { paymentToken: 't', shippingAddress: { city: 'Lyon', country: 'FR' } };
    const b = { shippingAddress: { country: 'FR', city: 'Lyon' }, paymentToken: 't' };

    expect(requestHashOf(a)).toBe(requestHashOf(b));
  });

  it('treats an undefined field as absent, as JSON does', () => {
    expect(requestHashOf({ a: 1, b: undefined })).toBe(requestHashOf({ a: 1 }));
  });

  it('differs when a value or the order of an array differs', () => {
    expect(requestHashOf({ a: 1 })).not.toBe(requestHashOf({ a: 2 }));
    expect(requestHashOf({ lines: [1, 2] })).not.toBe(requestHashOf({ lines: [2, 1] }));
  });

  it('writes canonical JSON that parses back to the body', () => {
    const body = { z: [1, { y: 'é"\\', x: null }], a: true };

    expect(canonicalJson(body)).toBe('{"a":true,"z":[1,{"x":null,"y":"é\\"\\\\"}]}');
    expect(JSON.parse(canonicalJson(body))).toEqual(body);
  });
});

import { expect } from 'chai';
import {
  centsToDecimalString,
  centsToMercadoPagoAmount,
  MAX_CENTS,
  mercadoPagoAmountToCents,
  MoneyFormatError,
  toCents,
  tryToCents,
} from '../../../src/platform/money';

describe('payments/money', () => {
  describe('toCents', () => {
    const good: Array<[string | number, number]> = [
      ['12.50', 1250],
      ['12.5', 1250],
      ['12', 1200],
      ['0', 0],
      ['0.00', 0],
      ['0.01', 1],
      ['0.1', 10],
      ['007.05', 705],
      ['19.99', 1999],
      ['1234567.89', 123456789],
      [12.5, 1250],
      [19.99, 1999],
      [0.07, 7],
      [100, 10000],
      ['9007199254740.99', 900719925474099],
    ];
    for (const [input, cents] of good) {
      it(`${JSON.stringify(input)} → ${cents}`, () => expect(toCents(input)).to.equal(cents));
    }

    it('is exact where float arithmetic is not (0.29 * 100 = 28.999…)', () => {
      expect(0.29 * 100).to.not.equal(29);
      expect(toCents('0.29')).to.equal(29);
      expect(toCents(0.29)).to.equal(29);
      expect(toCents('1.15')).to.equal(115);
      expect(toCents('4.35')).to.equal(435);
    });

    const bad: unknown[] = [
      '12.505', '0.001', 12.505, 0.1 + 0.2, '-1', '-0.01', -5, '-0', 'NaN', NaN, Infinity, -Infinity, '', ' ', ' 12.50', '12.50 ',
      '12,50', '1e3', 1e21, '+12', '.5', '5.', '12.5.0', 'abc', '0x10', null, undefined, {}, [], '9007199254741.00', '99999999999999999.00',
    ];
    for (const input of bad) {
      it(`rejects ${typeof input === 'number' ? String(input) : JSON.stringify(input)}`, () => {
        expect(() => toCents(input as string)).to.throw(MoneyFormatError);
        expect(tryToCents(input)).to.equal(null);
      });
    }

    it('explains negatives and too many decimals in Spanish', () => {
      expect(() => toCents('-3')).to.throw(/negativo/);
      expect(() => toCents('3.141')).to.throw(/dos decimales/);
    });
  });

  describe('centsToDecimalString', () => {
    const cases: Array<[number, string]> = [
      [1250, '12.50'], [5, '0.05'], [0, '0.00'], [100, '1.00'], [1999, '19.99'], [-1250, '-12.50'], [MAX_CENTS, '9007199254740.99'],
    ];
    for (const [cents, text] of cases) it(`${cents} → '${text}'`, () => expect(centsToDecimalString(cents)).to.equal(text));

    it('round-trips with toCents', () => {
      for (const cents of [0, 1, 9, 10, 99, 100, 101, 12345, 999999, 10_000_000_01]) {
        expect(toCents(centsToDecimalString(cents))).to.equal(cents);
      }
    });

    it('rejects non-integers and unsafe integers', () => {
      expect(() => centsToDecimalString(12.5)).to.throw(MoneyFormatError);
      expect(() => centsToDecimalString(NaN)).to.throw(MoneyFormatError);
      expect(() => centsToDecimalString(Number.MAX_SAFE_INTEGER + 2)).to.throw(MoneyFormatError);
    });
  });

  describe('Mercado Pago amounts', () => {
    it('cents → the double of the exact decimal, serialised with ≤ 2 decimals', () => {
      expect(centsToMercadoPagoAmount(1250)).to.equal(12.5);
      expect(centsToMercadoPagoAmount(1999)).to.equal(19.99);
      expect(centsToMercadoPagoAmount(29)).to.equal(0.29);
      expect(centsToMercadoPagoAmount(10000)).to.equal(100);
      expect(JSON.stringify({ a: centsToMercadoPagoAmount(115) })).to.equal('{"a":1.15}');
      for (let c = 0; c < 20000; c += 7) {
        const amount = centsToMercadoPagoAmount(c);
        expect(String(amount)).to.match(/^\d+(\.\d{1,2})?$/);
        expect(mercadoPagoAmountToCents(amount)).to.equal(c);
      }
    });

    it('refuses negatives and non-integers', () => {
      expect(() => centsToMercadoPagoAmount(-1)).to.throw(MoneyFormatError);
      expect(() => centsToMercadoPagoAmount(1.5)).to.throw(MoneyFormatError);
    });

    it('refuses gateway amounts with more than two decimals', () => {
      expect(() => mercadoPagoAmountToCents(10.001)).to.throw(MoneyFormatError);
      expect(() => mercadoPagoAmountToCents(-1)).to.throw(MoneyFormatError);
    });
  });
});

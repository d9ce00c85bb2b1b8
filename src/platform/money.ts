/**
 * Money without floating point arithmetic (ARCHITECTURE.md, "Data model and states").
 *
 * Amounts live as integer cents everywhere in the service. They enter as decimal
 * strings (PostgreSQL `numeric(10,2)` arrives as a string, request bodies carry
 * strings or JSON numbers) and are converted digit by digit, never by `* 100`.
 * The only place a JS number with a fractional part exists is Mercado Pago's
 * `transaction_amount`, built from the exact decimal string of the cents.
 */

/** The currencies a price may be in (the `moneda` CHECK constraints list the same words). */
export const MONEDAS = ['MXN', 'USD', 'EUR'] as const;
export type Moneda = (typeof MONEDAS)[number];

/** Largest amount we accept, in cents: well inside Number.MAX_SAFE_INTEGER. */
export const MAX_CENTS = 900_719_925_474_099; // floor(Number.MAX_SAFE_INTEGER / 10)

export class MoneyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyFormatError';
  }
}

const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;

/**
 * `'12.50'` → `1250`, `'12.5'` → `1250`, `'12'` → `1200`, `'0.01'` → `1`.
 *
 * Accepts a plain non-negative decimal with at most two decimals. A JS number is
 * accepted only through its shortest string form (`12.5` → `'12.5'`), so a value
 * such as `0.1 + 0.2` (`'0.30000000000000004'`) is rejected instead of rounded.
 * Rejects: negatives, more than two decimals, exponents, signs, spaces, `NaN`,
 * `Infinity`, empty strings, `'.5'`, `'5.'` and anything above {@link MAX_CENTS}.
 */
export function toCents(value: string | number): number {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyFormatError('El monto no es un número válido');
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    throw new MoneyFormatError('El monto debe ser un texto decimal');
  }
  const match = DECIMAL.exec(text);
  if (!match) {
    if (/^-/.test(text)) throw new MoneyFormatError('El monto no puede ser negativo');
    if (/^\d+\.\d{3,}$/.test(text)) throw new MoneyFormatError('El monto admite como máximo dos decimales');
    throw new MoneyFormatError('El monto no es un número decimal válido');
  }
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').padEnd(2, '0');
  if (whole.length > 15) throw new MoneyFormatError('El monto es demasiado grande');
  const cents = Number(whole) * 100 + Number(fraction); // integers < 2^53: exact
  if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) throw new MoneyFormatError('El monto es demasiado grande');
  return cents;
}

/** Like {@link toCents} but returns `null` instead of throwing. */
export function tryToCents(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    return toCents(value);
  } catch {
    return null;
  }
}

function assertCents(cents: number): void {
  if (!Number.isSafeInteger(cents)) throw new MoneyFormatError('Los centavos deben ser un entero');
  if (Math.abs(cents) > MAX_CENTS) throw new MoneyFormatError('El monto es demasiado grande');
}

/** `1250` → `'12.50'`, `5` → `'0.05'`, `-1250` → `'-12.50'`. */
export function centsToDecimalString(cents: number): string {
  assertCents(cents);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/**
 * Cents → Mercado Pago's `transaction_amount` (a JSON number with up to two
 * decimals). The number is parsed from the exact decimal string, so it is the
 * double closest to that decimal and serialises back to it (`1250` → `12.5`,
 * `1999` → `19.99`). Only non-negative amounts make sense here.
 */
export function centsToMercadoPagoAmount(cents: number): number {
  assertCents(cents);
  if (cents < 0) throw new MoneyFormatError('El monto no puede ser negativo');
  return Number(centsToDecimalString(cents));
}

/**
 * Mercado Pago's decimal number (e.g. `transaction_amount`, `19.99`) → cents,
 * through its shortest string form. Throws when the number has more than two
 * decimals or is negative: such an answer is not money we understand.
 */
export function mercadoPagoAmountToCents(amount: number): number {
  if (typeof amount !== 'number') throw new MoneyFormatError('El monto de Mercado Pago no es un número');
  return toCents(amount);
}

/**
 * RouterOS API query words for `print` (the "Queries" section of the API manual):
 *   ?name=x   push "property equals x"      ?=name=x  same
 *   ?name     push "property present"       ?-name    push "property absent"
 *   ?>name=x  push "property greater than"  ?<name=x  push "property less than"
 *   ?#ops     stack operations: | (or), & (and), ! (not), . (dup), digits (copy)
 * When every query word is consumed, the item matches if all values left on the
 * stack are true.
 */

export type Item = Readonly<Record<string, string>>;
type Predicate = (item: Item) => boolean;

export class QueryError extends Error {}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseWord(word: string): Predicate | string {
  const body = word.slice(1);
  if (body.startsWith('#')) return body.slice(1);
  const op = body[0];
  if (op === '-') {
    const key = body.slice(1);
    return (item) => !(key in item);
  }
  if (op === '>' || op === '<' || op === '=') {
    const rest = body.slice(1);
    const eq = rest.indexOf('=');
    if (eq < 0) throw new QueryError('invalid query');
    const key = rest.slice(0, eq);
    const value = rest.slice(eq + 1);
    if (op === '=') return (item) => item[key] === value;
    return op === '>'
      ? (item) => key in item && compare(item[key]!, value) > 0
      : (item) => key in item && compare(item[key]!, value) < 0;
  }
  const eq = body.indexOf('=');
  if (eq < 0) return (item) => body in item;
  const key = body.slice(0, eq);
  const value = body.slice(eq + 1);
  return (item) => item[key] === value;
}

export function compileQuery(words: readonly string[]): Predicate {
  const steps = words.map(parseWord);
  if (steps.length === 0) return () => true;
  return (item) => {
    const stack: boolean[] = [];
    for (const step of steps) {
      if (typeof step === 'function') { stack.push(step(item)); continue; }
      for (const ch of step.match(/\d+|./g) ?? []) {
        if (/^\d+$/.test(ch)) { stack.push(stack[stack.length - 1 - Number(ch)] ?? false); continue; }
        if (ch === '!') { stack.push(!(stack.pop() ?? false)); continue; }
        if (ch === '.') { stack.push(stack[stack.length - 1] ?? false); continue; }
        if (ch === '|' || ch === '&') {
          const b = stack.pop() ?? false;
          const a = stack.pop() ?? false;
          stack.push(ch === '|' ? a || b : a && b);
          continue;
        }
        throw new QueryError('invalid query operation');
      }
    }
    return stack.every(Boolean);
  };
}

/**
 * Summarizes a V8 .cpuprofile (node --cpu-prof): self time by function and by
 * package/file, and inclusive time of the hottest functions.
 *
 *   npx tsx bench/lib/profile-summary.ts <file.cpuprofile> [--top 30]
 */
import fs from 'node:fs';
import { numberArg, parseArgs } from './common';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

function where(url: string): string {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const m = /\/(src|workers|bench)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url.replace(/^file:\/\//, '');
}

function main() {
  const args = parseArgs();
  const file = process.argv.slice(2).find((a) => !a.startsWith('--') && a.endsWith('.cpuprofile'));
  if (!file) throw new Error('uso: profile-summary.ts <archivo.cpuprofile>');
  const top = numberArg(args, 'top', 30);
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id)!.callFrame.functionName));

  const selfByFn = new Map<string, number>();
  const selfByPkg = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    selfByFn.set(key, (selfByFn.get(key) ?? 0) + t);
    const pkg = n.callFrame.url ? where(n.callFrame.url).split(':')[0]! : n.callFrame.functionName;
    selfByPkg.set(pkg, (selfByPkg.get(pkg) ?? 0) + t);
    // inclusive: every distinct frame on the stack
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const k = `${f.functionName || '(anonymous)'} ${where(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
  }
  // Owner of each sample: the nearest frame (from the leaf up) in a package or in our code, so that
  // socket writes, parsing and timers are charged to whoever caused them (pg, ioredis, koa, undici...).
  const owner = new Map<string, number>();
  for (const [id, t] of self) {
    let label = byId.get(id)!.callFrame.functionName || '(anonymous)';
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const url = byId.get(cur)!.callFrame.url;
      if (url.includes('node_modules/') || /\/(src|workers)\//.test(url) || url.startsWith('node:internal/deps/undici')) {
        label = url.startsWith('node:internal/deps/undici') ? 'undici (fetch)' : where(url).split(':')[0]!;
        break;
      }
      if (cur === id && ['(idle)', '(program)', '(garbage collector)'].includes(label)) break;
    }
    owner.set(label, (owner.get(label) ?? 0) + t);
  }
  const pct = (t: number) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
  const print = (title: string, m: Map<string, number>, n: number) => {
    console.log(`\n${title}`);
    for (const [k, t] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(t)}  ${k}`);
  };
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled; ${idle.map(([id, t]) => `${byId.get(id)!.callFrame.functionName} ${pct(t)}`).join(', ')}`);
  print('time by owner (nearest package or source file on the stack; node internals charged to their caller)', owner, top);
  print('self time by package/file', selfByPkg, top);
  print('self time by function', selfByFn, top);
  print('inclusive time by function', inclusive, top);
}

main();

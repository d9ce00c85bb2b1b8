/**
 * Per-file wall time of a run (TEST_TIMINGS=1 npm test, or with any mocha
 * command): each worker appends `{file, ms}` for every file it finished to a
 * file of the run in the temp directory; the main process prints the slowest
 * at the end. TEST_TIMINGS=write also rewrites test/timings.json, the list
 * test/mocharc.full.cjs orders `npm test`'s files by (slowest first, so the
 * two parallel jobs finish together).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
export const TIMINGS_FILE = path.join(ROOT, 'test/timings.json');

export function timingsWanted(): boolean {
  return Boolean(process.env.TEST_TIMINGS);
}

function runLog(): string {
  return path.join(os.tmpdir(), `pagos-test-timings-${process.env.PAGOS_TEST_RUN ?? process.pid}.jsonl`);
}

export function recordFileTime(file: string, ms: number): void {
  fs.appendFileSync(runLog(), `${JSON.stringify({ file: path.relative(ROOT, file), ms: Math.round(ms) })}\n`);
}

export function reportTimings(): void {
  if (!timingsWanted()) return;
  let lines: string[];
  try {
    lines = fs.readFileSync(runLog(), 'utf8').split('\n').filter(Boolean);
  } catch {
    return;
  }
  fs.rmSync(runLog(), { force: true });
  const times = new Map<string, number>();
  for (const line of lines) {
    const { file, ms } = JSON.parse(line) as { file: string; ms: number };
    times.set(file, (times.get(file) ?? 0) + ms);
  }
  const sorted = [...times].sort((a, b) => b[1] - a[1]);
  const total = sorted.reduce((sum, [, ms]) => sum + ms, 0);
  const top = sorted.slice(0, Number(process.env.TEST_TIMINGS_TOP ?? 25));
  process.stdout.write(`\nSlowest test files (wall time in their worker; ${sorted.length} files, ${(total / 1000).toFixed(1)} s in all):\n`);
  for (const [file, ms] of top) process.stdout.write(`${(ms / 1000).toFixed(1).padStart(7)} s  ${file}\n`);
  if (process.env.TEST_TIMINGS === 'write') {
    fs.writeFileSync(TIMINGS_FILE, `${JSON.stringify(Object.fromEntries(sorted), null, 2)}\n`);
    process.stdout.write(`(written to ${path.relative(ROOT, TIMINGS_FILE)})\n`);
  }
}

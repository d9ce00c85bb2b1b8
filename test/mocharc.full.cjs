// `npm test`'s configuration: .mocharc.json's, with three workers and every test file listed
// slowest first (by test/timings.json, written by `TEST_TIMINGS=write npm test`). mocha
// --parallel hands files to its workers in spec order, so the long files start first and the
// workers finish together instead of one running a browser file alone at the end.
// Three workers on two cores: the files mostly wait (sockets, timers, child processes; the
// whole run uses about 40% of two cores), so a third worker cut the run by a quarter under
// the same load (3 min 53 s to 2 min 48 s, 817 tests); four were slower and flaky on a loaded machine.
// A file not in the list yet (new) goes first: it may be slow, and it is timed next time.
// `npx mocha test/a.test.ts` keeps using .mocharc.json and runs only what it names.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const base = JSON.parse(fs.readFileSync(path.join(root, '.mocharc.json'), 'utf8'));
const timings = JSON.parse(fs.readFileSync(path.join(__dirname, 'timings.json'), 'utf8'));

function testFiles(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return testFiles(rel);
    return entry.name.endsWith('.test.ts') ? [rel] : [];
  });
}

const files = testFiles('test').sort();
const time = (file) => timings[file] ?? Infinity;
module.exports = { ...base, jobs: 3, spec: files.sort((a, b) => time(b) - time(a) || a.localeCompare(b)) };

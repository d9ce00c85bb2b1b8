/** The portal's CHAP md5 (portal/src/md5.ts, served as portal/md5.js): the hex MD5 of each character's low byte. */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { hexMD5 } from '../../portal/src/md5';

const md5Latin1 = (s: string) => createHash('md5').update(Buffer.from(s, 'latin1')).digest('hex');

describe('portal: hexMD5 for the hotspot CHAP login', () => {
  const samples = ['', 'a', 'abc', '\x05secreto\x8f\x12\xa0', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'w'.repeat(1000)];

  it('answers what MD5 over the bytes answers (RouterOS octal escapes included; lengths around a block)', () => {
    for (const s of samples) expect(hexMD5(s), JSON.stringify(s.slice(0, 12))).to.equal(md5Latin1(s));
  });

  it('portal/md5.js, as the router serves it, puts the same hexMD5 on window', () => {
    const sandbox: { window: { hexMD5?: (s: string) => string } } = { window: {} };
    vm.runInNewContext(readFileSync(path.resolve(__dirname, '..', '..', 'portal', 'md5.js'), 'utf8'), sandbox);
    for (const s of samples) expect(sandbox.window.hexMD5!(s)).to.equal(md5Latin1(s));
  });
});

/*
 * MD5 for the MikroTik hotspot's CHAP login: hexMD5(chapId + password + chapChallenge).
 * Same name and behaviour as the md5.js that RouterOS ships in its hotspot folder:
 * every character is one byte (its code & 0xff), the answer is lowercase hex.
 * Replacing the router's md5.js with this file is harmless.
 *
 * GENERADO por `npm run build:portal` desde portal/src/ (TypeScript): no lo edite aqui.
 */
"use strict";
(() => {
  // portal/src/md5.ts
  var S = [
    7,
    12,
    17,
    22,
    7,
    12,
    17,
    22,
    7,
    12,
    17,
    22,
    7,
    12,
    17,
    22,
    5,
    9,
    14,
    20,
    5,
    9,
    14,
    20,
    5,
    9,
    14,
    20,
    5,
    9,
    14,
    20,
    4,
    11,
    16,
    23,
    4,
    11,
    16,
    23,
    4,
    11,
    16,
    23,
    4,
    11,
    16,
    23,
    6,
    10,
    15,
    21,
    6,
    10,
    15,
    21,
    6,
    10,
    15,
    21,
    6,
    10,
    15,
    21
  ];
  var K = [];
  for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) | 0;
  function md5Words(bytes) {
    const n = bytes.length;
    const words = [];
    const total = ((n + 8 >>> 6) + 1) * 16;
    for (let w = 0; w < total; w++) words[w] = 0;
    for (let b = 0; b < n; b++) words[b >> 2] |= bytes[b] << b % 4 * 8;
    words[n >> 2] |= 128 << n % 4 * 8;
    words[total - 2] = n * 8 | 0;
    words[total - 1] = Math.floor(n / 536870912) | 0;
    let a0 = 1732584193, b0 = 4023233417 | 0, c0 = 2562383102 | 0, d0 = 271733878;
    for (let chunk = 0; chunk < total; chunk += 16) {
      let a = a0, bb = b0, c = c0, d = d0;
      for (let j = 0; j < 64; j++) {
        let f, g;
        if (j < 16) {
          f = bb & c | ~bb & d;
          g = j;
        } else if (j < 32) {
          f = d & bb | ~d & c;
          g = (5 * j + 1) % 16;
        } else if (j < 48) {
          f = bb ^ c ^ d;
          g = (3 * j + 5) % 16;
        } else {
          f = c ^ (bb | ~d);
          g = 7 * j % 16;
        }
        const tmp = d;
        d = c;
        c = bb;
        const sum = a + f + K[j] + words[chunk + g] | 0;
        bb = bb + (sum << S[j] | sum >>> 32 - S[j]) | 0;
        a = tmp;
      }
      a0 = a0 + a | 0;
      b0 = b0 + bb | 0;
      c0 = c0 + c | 0;
      d0 = d0 + d | 0;
    }
    return [a0, b0, c0, d0];
  }
  function toHex(words) {
    let out = "";
    for (const word of words) {
      for (let k = 0; k < 4; k++) {
        const byte = word >>> k * 8 & 255;
        out += (byte < 16 ? "0" : "") + byte.toString(16);
      }
    }
    return out;
  }
  function hexMD5(str) {
    const s = String(str);
    const bytes = [];
    for (let i = 0; i < s.length; i++) bytes.push(s.charCodeAt(i) & 255);
    return toHex(md5Words(bytes));
  }

  // portal/src/md5-global.ts
  window.hexMD5 = hexMD5;
})();

/*
 * MD5 for the MikroTik hotspot's CHAP login: hexMD5(chapId + password + chapChallenge).
 * Same name and behaviour as the md5.js that RouterOS ships in its hotspot folder:
 * every character is one byte (its code & 0xff), the answer is lowercase hex.
 * Replacing the router's md5.js with this file is harmless.
 *
 * Source: portal/src/md5.ts, bundled into portal/md5.js by `npm run build:portal`.
 */
import { hexMD5 } from './md5';

window.hexMD5 = hexMD5;

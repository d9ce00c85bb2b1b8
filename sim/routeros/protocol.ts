/**
 * The RouterOS API wire format (https://help.mikrotik.com/docs/spaces/ROS/pages/47579160/API):
 * a sentence is a list of words ended by a zero-length word; every word is
 * prefixed by its length in one of five encodings:
 *
 *   0x00000000-0x0000007F  1 byte   0xxxxxxx
 *   0x00000080-0x00003FFF  2 bytes  10xxxxxx ...
 *   0x00004000-0x001FFFFF  3 bytes  110xxxxx ...
 *   0x00200000-0x0FFFFFFF  4 bytes  1110xxxx ...
 *   0x10000000-0xFFFFFFFF  5 bytes  11110000 + 4 bytes
 *
 * Bytes 0xF8..0xFF as a first length byte are reserved control bytes; a
 * conforming peer never sends them, so the decoder treats them as a protocol error.
 *
 * Words are bytes on the wire. The simulator keeps them as latin1 strings so any
 * byte sequence survives a round trip unchanged, like RouterOS (which stores bytes).
 */

export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
    throw new RangeError(`invalid RouterOS word length ${length}`);
  }
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x4000) return Buffer.from([(length >>> 8) | 0x80, length & 0xff]);
  if (length < 0x200000) {
    return Buffer.from([(length >>> 16) | 0xc0, (length >>> 8) & 0xff, length & 0xff]);
  }
  if (length < 0x10000000) {
    return Buffer.from([(length >>> 24) | 0xe0, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff]);
  }
  return Buffer.from([0xf0, (length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff]);
}

export type DecodedLength =
  | { kind: 'length'; length: number; size: number }
  | { kind: 'incomplete' }
  | { kind: 'control'; byte: number };

/** Decodes the length prefix at `offset`; `incomplete` when the prefix is cut by the chunk end. */
export function decodeLength(buf: Buffer, offset = 0): DecodedLength {
  if (offset >= buf.length) return { kind: 'incomplete' };
  const b = buf[offset]!;
  let size: number;
  let value: number;
  if ((b & 0x80) === 0x00) { size = 1; value = b; }
  else if ((b & 0xc0) === 0x80) { size = 2; value = b & 0x3f; }
  else if ((b & 0xe0) === 0xc0) { size = 3; value = b & 0x1f; }
  else if ((b & 0xf0) === 0xe0) { size = 4; value = b & 0x0f; }
  else if (b === 0xf0) { size = 5; value = 0; }
  else return { kind: 'control', byte: b };
  if (offset + size > buf.length) return { kind: 'incomplete' };
  for (let i = 1; i < size; i++) value = value * 256 + buf[offset + i]!;
  return { kind: 'length', length: value, size };
}

export function encodeWord(word: string): Buffer {
  const bytes = Buffer.from(word, 'latin1');
  return Buffer.concat([encodeLength(bytes.length), bytes]);
}

/** One sentence: its words followed by the zero-length terminator. */
export function encodeSentence(words: readonly string[]): Buffer {
  return Buffer.concat([...words.map(encodeWord), Buffer.from([0])]);
}

export class ProtocolError extends Error {}

/**
 * Incremental sentence decoder: feed it socket chunks cut anywhere (inside a
 * length prefix, inside a word, between words) and it returns the sentences
 * completed so far.
 */
export class SentenceDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private words: string[] = [];

  constructor(private readonly maxWordBytes = 1024 * 1024) {}

  push(chunk: Buffer): string[][] {
    const data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const sentences: string[][] = [];
    let offset = 0;
    for (;;) {
      const decoded = decodeLength(data, offset);
      if (decoded.kind === 'incomplete') break;
      if (decoded.kind === 'control') throw new ProtocolError(`reserved control byte 0x${decoded.byte.toString(16)}`);
      if (decoded.length > this.maxWordBytes) throw new ProtocolError(`word of ${decoded.length} bytes exceeds the limit`);
      if (offset + decoded.size + decoded.length > data.length) break;
      const start = offset + decoded.size;
      offset = start + decoded.length;
      if (decoded.length === 0) {
        // RouterOS ignores empty sentences; so do we.
        if (this.words.length > 0) sentences.push(this.words);
        this.words = [];
      } else {
        this.words.push(data.toString('latin1', start, offset));
      }
    }
    this.pending = data.subarray(offset);
    // Copy so a long-lived remainder does not pin a large chunk in memory.
    if (this.pending.length > 0 && this.pending.buffer === chunk.buffer) this.pending = Buffer.from(this.pending);
    return sentences;
  }
}

/**
 * The one place where node-routeros 1.6.9 (discontinued) is repaired. Import
 * RouterOSAPI from here, never from 'node-routeros' directly, so the fixes are
 * always in place before the first connection.
 *
 * What 1.6.9 does wrong, and what this module changes (prototype patches, applied
 * once per process; node_modules stays untouched):
 *
 * 1. `!empty` (RouterOS 7.18+ answers an empty print with `!empty` then `!done`):
 *    Channel.processPacket treats it as an unknown reply and Channel.onUnknown
 *    *throws* from inside the socket 'data' handler: an uncaught exception that
 *    kills the process. Fix: `!empty` is skipped, so the `!done` that follows
 *    resolves the command with []; any other unknown reply word now rejects that
 *    one command instead of throwing.
 *
 * 2. Framing. Receiver.processRawData only notices the end of a sentence when the
 *    next reply word arrives or a chunk happens to end, mis-decodes a length
 *    prefix split across TCP chunks, and throws (uncaught, again) when a reply
 *    arrives for a tag nobody reads any more. Fix: a straightforward incremental
 *    decoder (sentence = words up to the zero-length word, all five length
 *    encodings, any chunking) that hands each complete sentence to its tag's
 *    reader, drops replies for unknown tags, and turns a protocol violation into
 *    a destroyed socket (an 'error' on that connection) instead of an exception.
 *    Words are still decoded as windows-1252, as 1.6.9 does.
 *
 * 3. Socket errors. Connector.onError re-emits socket errors as 'error' events
 *    (no listener = crash) and wraps them in a RosException that loses the error
 *    code (it looks up `err.errno`, a number in modern Node). Fix: keep the code
 *    and the original message, and emit only when someone listens. The client
 *    (connection.ts) always listens on RouterOSAPI's own 'error' event.
 *
 * 4. Latency. The Transmitter writes every word with its own socket.write on a
 *    socket without TCP_NODELAY, so Nagle's algorithm meets the router's delayed
 *    ACK and each command waits ~40 ms. Fix: a command's words leave in one
 *    corked write, and the socket gets setNoDelay once connected.
 *
 * A pending write() that never settles (connection gone, router hung) is not
 * fixable here: connection.ts races every command against a timeout and tears
 * the connection down.
 */
import type { Socket } from 'node:net';
import { Channel, Connector, Receiver, RosException, RouterOSAPI } from 'node-routeros';

interface ReceiverInternals {
  socket: Socket;
  tags: Map<string, { name: string; callback: (packet: string[]) => void }>;
  processRawData(data: Buffer): void;
}
interface ChannelInternals {
  processPacket(packet: string[]): void;
  onUnknown(reply: string): void;
  emit(event: string, ...args: unknown[]): boolean;
}
interface ConnectorInternals {
  socket?: Socket;
  write(data: string[]): unknown;
  onConnect(): void;
  onError(err: Error & { code?: string; errno?: number | string }): void;
  listenerCount(event: string): number;
  emit(event: string, ...args: unknown[]): boolean;
  destroy(): void;
}

/** Largest word we accept from a router; anything bigger is a broken stream. */
const MAX_WORD_BYTES = 16 * 1024 * 1024;

/** windows-1252 bytes 0x80-0x9F (the rest of the code page equals latin1). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

export function decodeWindows1252(bytes: Buffer): string {
  let ascii = true;
  for (const b of bytes) if (b >= 0x80) { ascii = false; break; }
  if (ascii) return bytes.toString('latin1');
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
  return out;
}

/** Length prefix at `offset`: [prefix size, word length], or null if the chunk ends inside it. */
function readLength(buf: Buffer, offset: number): [number, number] | null {
  if (offset >= buf.length) return null;
  const b = buf[offset]!;
  let size: number;
  let value: number;
  if (b < 0x80) return [1, b];
  if ((b & 0xc0) === 0x80) { size = 2; value = b & 0x3f; }
  else if ((b & 0xe0) === 0xc0) { size = 3; value = b & 0x1f; }
  else if ((b & 0xf0) === 0xe0) { size = 4; value = b & 0x0f; }
  else if (b === 0xf0) { size = 5; value = 0; }
  else throw new Error(`RouterOS API protocol error: control byte 0x${b.toString(16)}`);
  if (offset + size > buf.length) return null;
  for (let i = 1; i < size; i++) value = value * 256 + buf[offset + i]!;
  return [size, value];
}

interface FramingState {
  pending: Buffer;
  words: string[];
}
const framing = new WeakMap<object, FramingState>();

function dispatchSentence(receiver: ReceiverInternals, words: string[]): void {
  const [reply, ...rest] = words;
  if (reply === '!fatal') {
    // Same signal 1.6.9 uses: the Connector closes the connection on it.
    receiver.socket.emit('fatal');
    return;
  }
  let tag: string | undefined;
  const packet = [reply!];
  for (const word of rest) {
    if (word.startsWith('.tag=')) tag = word.slice(5);
    else packet.push(word);
  }
  // Every command we send is tagged; an untagged reply or one for a tag whose
  // reader is gone (a command already settled) has nobody waiting for it.
  const reader = tag === undefined ? undefined : receiver.tags.get(tag);
  reader?.callback(packet);
}

function processRawData(this: ReceiverInternals, data: Buffer): void {
  let state = framing.get(this);
  if (!state) {
    state = { pending: Buffer.alloc(0), words: [] };
    framing.set(this, state);
  }
  const buf = state.pending.length > 0 ? Buffer.concat([state.pending, data]) : data;
  let offset = 0;
  try {
    for (;;) {
      const length = readLength(buf, offset);
      if (!length) break;
      const [size, wordLength] = length;
      if (wordLength > MAX_WORD_BYTES) throw new Error('RouterOS API protocol error: word too long');
      if (offset + size + wordLength > buf.length) break;
      const start = offset + size;
      offset = start + wordLength;
      if (wordLength > 0) {
        state.words.push(decodeWindows1252(buf.subarray(start, offset)));
        continue;
      }
      const words = state.words;
      state.words = [];
      if (words.length > 0) dispatchSentence(this, words);
      if (this.socket.destroyed) return;
    }
    state.pending = Buffer.from(buf.subarray(offset));
  } catch (err) {
    // A broken stream or a reader that threw: lose this connection, not the process.
    state.pending = Buffer.alloc(0);
    state.words = [];
    this.socket.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

const PATCHED = Symbol.for('pagos-hotspot.node-routeros-fixes');

export function applyNodeRouterosFixes(): void {
  const receiverProto = Receiver.prototype as unknown as ReceiverInternals & { [PATCHED]?: boolean };
  if (receiverProto[PATCHED]) return;
  receiverProto[PATCHED] = true;

  receiverProto.processRawData = processRawData;

  const channelProto = Channel.prototype as unknown as ChannelInternals;
  const originalProcessPacket = channelProto.processPacket;
  channelProto.processPacket = function processPacket(this: ChannelInternals, packet: string[]) {
    if (packet[0] === '!empty') return; // "no items"; the !done that follows resolves with []
    originalProcessPacket.call(this, packet);
  };
  // Bound per Channel in its constructor, after this patch: never throws now.
  channelProto.onUnknown = function onUnknown(this: ChannelInternals, reply: string) {
    this.emit('trap', { message: `UNKNOWNREPLY: unexpected reply ${reply}` });
  };

  const connectorProto = Connector.prototype as unknown as ConnectorInternals;
  connectorProto.onError = function onError(this: ConnectorInternals, err) {
    const code = err.code ?? (typeof err.errno === 'string' ? err.errno : undefined) ?? 'ESOCKET';
    const wrapped = new RosException(code, err) as RosException & { code?: string; cause?: unknown };
    if (!wrapped.message) wrapped.message = err.message;
    wrapped.code = code;
    wrapped.cause = err;
    if (this.listenerCount('error') > 0) this.emit('error', wrapped, this);
    this.destroy();
  };

  const originalOnConnect = connectorProto.onConnect;
  connectorProto.onConnect = function onConnect(this: ConnectorInternals) {
    this.socket?.setNoDelay(true);
    originalOnConnect.call(this);
  };
  const originalWrite = connectorProto.write;
  connectorProto.write = function write(this: ConnectorInternals, data: string[]) {
    const socket = this.socket;
    socket?.cork();
    try {
      return originalWrite.call(this, data);
    } finally {
      socket?.uncork();
    }
  };
}

applyNodeRouterosFixes();

export { RouterOSAPI, RosException };

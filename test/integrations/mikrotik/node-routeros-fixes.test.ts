/**
 * The repairs to node-routeros 1.6.9, checked on its own classes: framing under
 * any TCP chunking, `!empty`, unknown replies, unknown tags, protocol garbage
 * and socket errors must never throw out of an event handler.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { expect } from 'chai';
import { Channel, Connector, Receiver } from 'node-routeros';
import { decodeWindows1252, RouterOSAPI } from '../../../src/integrations/mikrotik/node-routeros-fixes';
import { encodeSentence } from '../../../sim/routeros';
import { withoutUncaught } from './helpers';

class FakeSocket extends EventEmitter {
  destroyed = false;
  destroyError?: Error;
  destroy(err?: Error): void {
    this.destroyed = true;
    this.destroyError = err;
  }
}

function receiverWith(tags: string[]): { receiver: Receiver; socket: FakeSocket; got: Record<string, string[][]> } {
  const socket = new FakeSocket();
  const receiver = new Receiver(socket as unknown as net.Socket);
  const got: Record<string, string[][]> = {};
  for (const tag of tags) {
    got[tag] = [];
    receiver.read(tag, (packet) => got[tag]!.push([...packet]));
  }
  return { receiver, socket, got };
}

describe('node-routeros fixes', () => {
  it('delivers each sentence to its tag however the stream is chunked', async () => {
    const long = 'x'.repeat(300); // 2-byte length prefix
    const stream = Buffer.concat([
      encodeSentence(['!re', '.tag=a', '=name=u1', `=comment=${long}`]),
      encodeSentence(['!re', '.tag=b', '=name=v1']),
      encodeSentence(['!re', '.tag=a', '=name=u2']),
      encodeSentence(['!done', '.tag=b']),
      Buffer.concat([Buffer.from([0x05]), Buffer.from('!done'), Buffer.from([0xf0, 0, 0, 0, 6]), Buffer.from('.tag=a'), Buffer.from([0])]),
    ]);
    const expected = {
      a: [['!re', '=name=u1', `=comment=${long}`], ['!re', '=name=u2'], ['!done']],
      b: [['!re', '=name=v1'], ['!done']],
    };
    await withoutUncaught(async () => {
      // every single cut point, then byte by byte
      for (let cut = 0; cut <= stream.length; cut++) {
        const { receiver, got } = receiverWith(['a', 'b']);
        receiver.processRawData(stream.subarray(0, cut));
        receiver.processRawData(stream.subarray(cut));
        expect(got, `cut at ${cut}`).to.deep.equal(expected);
      }
      const { receiver, got } = receiverWith(['a', 'b']);
      for (const byte of stream) receiver.processRawData(Buffer.from([byte]));
      expect(got).to.deep.equal(expected);
    });
  });

  it('dispatches a sentence as soon as it is complete (no waiting for the next reply)', () => {
    const { receiver, got } = receiverWith(['t']);
    const done = encodeSentence(['!done', '.tag=t']);
    receiver.processRawData(done.subarray(0, done.length - 1));
    expect(got.t).to.deep.equal([]);
    receiver.processRawData(done.subarray(done.length - 1)); // the terminator alone
    expect(got.t).to.deep.equal([['!done']]);
  });

  it('decodes words as windows-1252, like 1.6.9', () => {
    expect(decodeWindows1252(Buffer.from([0x80, 0x41, 0xe9, 0x9f]))).to.equal('€AéŸ');
    const { receiver, got } = receiverWith(['w']);
    receiver.processRawData(Buffer.concat([encodeSentence(['!re', '.tag=w']).subarray(0, -1), Buffer.from([0x07]), Buffer.from('=n=Pe'), Buffer.from([0xf1, 0x61, 0]), encodeSentence(['!done', '.tag=w'])]));
    expect(got.w![0]).to.deep.equal(['!re', '=n=Peña']);
  });

  it('drops replies for unknown tags and untagged replies instead of throwing', async () => {
    await withoutUncaught(async () => {
      const { receiver, socket, got } = receiverWith(['known']);
      receiver.processRawData(Buffer.concat([
        encodeSentence(['!re', '.tag=gone', '=x=1']),
        encodeSentence(['!done']),
        encodeSentence(['!done', '.tag=known']),
      ]));
      expect(got.known).to.deep.equal([['!done']]);
      expect(socket.destroyed).to.equal(false);
    });
  });

  it('turns protocol garbage or a throwing reader into a destroyed socket, not an exception', async () => {
    await withoutUncaught(async () => {
      const garbage = receiverWith([]);
      garbage.receiver.processRawData(Buffer.from([0xf8, 1, 2, 3]));
      expect(garbage.socket.destroyed).to.equal(true);
      expect(garbage.socket.destroyError!.message).to.match(/protocol error/);

      const socket = new FakeSocket();
      const receiver = new Receiver(socket as unknown as net.Socket);
      receiver.read('boom', () => { throw new Error('reader failed'); });
      receiver.processRawData(encodeSentence(['!done', '.tag=boom']));
      expect(socket.destroyed).to.equal(true);
    });
  });

  it('!fatal closes the connection through the Connector as before', () => {
    const { receiver, socket } = receiverWith([]);
    let fatal = 0;
    socket.on('fatal', () => fatal++);
    receiver.processRawData(encodeSentence(['!fatal', 'session terminated on request']));
    expect(fatal).to.equal(1);
  });

  describe('Channel', () => {
    function channelWithFakeConnector() {
      let reader: ((packet: string[]) => void) | undefined;
      const written: string[][] = [];
      const connector = {
        read: (_tag: string, cb: (packet: string[]) => void) => { reader = cb; },
        write: (params: string[]) => { written.push(params); },
        stopRead: () => {},
      };
      const channel = new Channel(connector as unknown as Connector);
      return { channel, deliver: (packet: string[]) => reader!(packet), written };
    }

    it('!empty followed by !done resolves an empty list', async () => {
      await withoutUncaught(async () => {
        const { channel, deliver, written } = channelWithFakeConnector();
        const result = channel.write(['/ip/hotspot/active/print']);
        expect(written[0]![0]).to.equal('/ip/hotspot/active/print');
        deliver(['!empty']);
        deliver(['!done']);
        expect(await result).to.deep.equal([]);
      });
    });

    it('an unknown reply word rejects the command instead of throwing', async () => {
      await withoutUncaught(async () => {
        const { channel, deliver } = channelWithFakeConnector();
        const result = channel.write(['/x/print']);
        expect(() => deliver(['!weird'])).not.to.throw();
        try {
          await result;
          expect.fail('should reject');
        } catch (err) {
          expect((err as Error).message).to.match(/UNKNOWNREPLY/);
        }
      });
    });
  });

  describe('Connector and RouterOSAPI', () => {
    it('a socket error with nobody listening does not throw, and keeps its code', async () => {
      await withoutUncaught(async () => {
        const connector = new Connector({ host: '127.0.0.1', port: 1 });
        const onError = (connector as unknown as { onError(e: Error): void }).onError.bind(connector);
        const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111 });
        (connector as unknown as { socket: FakeSocket }).socket = new FakeSocket();
        expect(() => onError(err)).not.to.throw();
      });
    });

    it('a refused connect rejects with the error code preserved', async () => {
      const server = net.createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as net.AddressInfo;
      await new Promise<void>((r) => server.close(() => r()));
      await withoutUncaught(async () => {
        const api = new RouterOSAPI({ host: '127.0.0.1', port, user: 'admin', password: 'x', timeout: 2 });
        try {
          await api.connect();
          expect.fail('should reject');
        } catch (err) {
          expect((err as { code?: string }).code).to.equal('ECONNREFUSED');
          expect((err as Error).message).to.equal('Connection refused.');
        }
      });
    });
  });
});

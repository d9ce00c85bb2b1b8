import { expect } from 'chai';
import { Fernet, FernetError } from '../../src/platform/crypto/fernet';
import { createSecretBox, maskSecret } from '../../src/platform/crypto/secret-box';

// Vector from the Fernet spec (generate.json / verify.json).
const KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const TOKEN = 'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';

describe('Fernet (secrets at rest, compatible with Python cryptography)', () => {
  it('produces the spec token for the spec inputs', () => {
    const iv = Buffer.from([...Array(16).keys()]);
    expect(new Fernet(KEY).encrypt('hello', Date.parse('1985-10-26T01:20:00-07:00'), iv)).to.equal(TOKEN);
  });

  it('decrypts the spec token and round-trips unicode', () => {
    const f = new Fernet(KEY);
    expect(f.decrypt(TOKEN)).to.equal('hello');
    expect(f.decrypt(f.encrypt('contraseña ñ €'))).to.equal('contraseña ñ €');
  });

  it('refuses a tampered token and a token from another key', () => {
    const f = new Fernet(KEY);
    const token = f.encrypt('secret');
    const tampered = token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31);
    expect(() => f.decrypt(tampered)).to.throw(FernetError);
    expect(() => new Fernet(Fernet.generateKey()).decrypt(token)).to.throw(FernetError);
  });

  it('secret box encrypts with a key, keeps clear values readable, and masks', () => {
    const box = createSecretBox(KEY);
    const sealed = box.seal('sk_live_123456789');
    expect(sealed).to.match(/^gAAAAA/).and.not.include('sk_live');
    expect(box.open(sealed)).to.equal('sk_live_123456789');
    expect(box.open('legacy-plain')).to.equal('legacy-plain');
    expect(createSecretBox(null).seal('x')).to.equal('x');
    expect(maskSecret('sk_live_123456789')).to.equal('••••6789');
    expect(maskSecret('whsec_12345678')).to.equal('••••');
    expect(maskSecret('short')).to.equal('••••');
    expect(maskSecret(null)).to.equal(null);
  });
});

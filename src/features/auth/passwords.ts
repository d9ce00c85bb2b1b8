import crypto from 'node:crypto';
import bcrypt from 'bcrypt';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** An empty hash (unknown user) still costs one comparison at the configured cost. */
  verify(password: string, hash: string): Promise<boolean>;
}

export function createPasswordHasher(rounds: number): PasswordHasher {
  // The hash compared against when the user does not exist: made once, at the
  // configured cost, so a wrong email and a wrong password take the same time.
  let dummy: Promise<string> | null = null;
  const dummyHash = () => (dummy ??= bcrypt.hash(crypto.randomBytes(18).toString('base64'), rounds));
  return {
    hash: (password) => bcrypt.hash(password, rounds),
    verify: async (password, hash) => {
      try {
        if (!hash) {
          await bcrypt.compare(password, await dummyHash());
          return false;
        }
        return await bcrypt.compare(password, hash);
      } catch {
        return false;
      }
    },
  };
}

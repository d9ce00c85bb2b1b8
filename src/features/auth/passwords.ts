import bcrypt from 'bcrypt';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

// A well-formed hash to compare against when the user does not exist, so a wrong
// email and a wrong password take the same time.
const DUMMY_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.7vYIZ3c5QnTgaV2bFvHa0C7Yf7xe';

export function createPasswordHasher(rounds: number): PasswordHasher {
  return {
    hash: (password) => bcrypt.hash(password, rounds),
    verify: async (password, hash) => {
      try {
        return await bcrypt.compare(password, hash || DUMMY_HASH);
      } catch {
        return false;
      }
    },
  };
}

export { DUMMY_HASH };

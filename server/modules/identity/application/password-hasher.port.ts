export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** With a null hash it verifies against a dummy, so an unknown user costs the same time. */
  verify(passwordHash: string | null, password: string): Promise<boolean>;
  needsRehash(passwordHash: string): boolean;
}

// Password hashing with argon2id (OWASP's first choice), via @node-rs/argon2.
import { hash, verify } from "@node-rs/argon2";

// algorithm 2 is Algorithm.Argon2id (a const enum, which isolatedModules cannot
// import); parameters are OWASP's recommended minimum (19 MiB, t=2, p=1).
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the account does not exist keeps the response
// time the same, so timing does not reveal which emails are registered.
let dummyHash: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword("not-a-real-password-just-for-timing");
  await verifyPassword(await dummyHash, password);
}

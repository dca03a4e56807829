// Local passwords: argon2id with the library's defaults (19 MiB, 2 passes, 1 lane — the OWASP
// minimum), and a policy in the spirit of NIST SP 800-63B: length over composition rules, and
// no password that is common or made of the account's own name.
import { hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

// The most frequent passwords in public breach corpora that are 12 characters or longer, and
// the obvious ones for this product; anything on it is refused whatever its length.
const COMMON = new Set([
  'password1234', '123456789012', 'qwertyuiopas', '1q2w3e4r5t6y', 'passwordpassword', 'welkom123456',
  'welkomwelkom', 'wachtwoord12', 'wachtwoord123', 'wachtwoordwachtwoord', 'administrator', 'camaudit1234',
  'changeme1234', 'letmein12345', 'iloveyou1234', 'qwerty123456', 'aaaaaaaaaaaa', 'zomer2026zomer',
]);

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'this password is among the most common ones';
  if (new Set(lower).size < 5) return 'a password needs more than four different characters';
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (local.length >= 4 && lower.includes(local)) return 'a password may not contain the account name';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verifying against this when the account does not exist keeps the answer time the same, so
// response times do not reveal which e-mail addresses have accounts.
let decoy: Promise<string> | null = null;
export async function verifyDecoy(password: string): Promise<void> {
  decoy ??= hash('camaudit-decoy-password');
  await verifyPassword(await decoy, password);
}

// The passwords people pick first ("password1", "iloveyou", "qwertyuiop"): the 49,000 of zxcvbn-ts's common-password
// list, the same list its strength estimator starts from. NIST SP 800-63B asks that a new password be checked against
// such a list; a breach corpus (Have I Been Pwned) would need a network call, and this tool must work offline.
// Only exact matches are refused (case and the spaces at the ends ignored): "Summer2026!" is not in the list and is
// allowed, a rule about patterns would refuse passphrases people can remember.
import { dictionary } from "@zxcvbn-ts/language-common";

let common: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"] as string[]);
  return common.has(password.trim().toLowerCase());
}

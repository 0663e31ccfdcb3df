/** argon2id cost parameters (OWASP: m=19456 KiB, t=2, p=1). */
export interface HashParams {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const OWASP_ARGON2ID: HashParams = Object.freeze({
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
});

export interface PhcHash extends HashParams {
  algorithm: string;
  version: number;
}

/** Reads `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`; null for anything else. */
export function parsePhc(encoded: string): PhcHash | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== '') return null;
  const [, algorithm, versionPart, paramPart] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const version = /^v=(\d+)$/.exec(versionPart);
  if (!version) return null;
  const params = new Map<string, number>();
  for (const kv of paramPart.split(',')) {
    const match = /^([a-z]+)=(\d+)$/.exec(kv);
    if (!match) return null;
    params.set(match[1]!, Number(match[2]));
  }
  const memoryCost = params.get('m');
  const timeCost = params.get('t');
  const parallelism = params.get('p');
  if (memoryCost === undefined || timeCost === undefined || parallelism === undefined) return null;
  return { algorithm, version: Number(version[1]), memoryCost, timeCost, parallelism };
}

/** True when a stored hash is weaker than the policy (other algorithm, older version, lower cost). */
export function needsRehash(encoded: string, policy: HashParams): boolean {
  const phcHash = parsePhc(encoded);
  if (!phcHash) return true;
  return (
    phcHash.algorithm !== 'argon2id' ||
    phcHash.version < 19 ||
    phcHash.memoryCost < policy.memoryCost ||
    phcHash.timeCost < policy.timeCost ||
    phcHash.parallelism < policy.parallelism
  );
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function seeded(seed: string): () => number {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507) ^ Math.imul(h ^ (h >>> 13), 3266489909);
    return ((h ^= h >>> 16) >>> 0) / 4294967296;
  };
}

function base64Run(rnd: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += B64[Math.floor(rnd() * 64)];
  return s;
}

/** A private key that looks real (PEM framing, base64 body) but is random filler. */
export function fakePrivateKey(seed: string): string {
  const rnd = seeded(seed);
  const lines = Array.from({ length: 6 }, () => base64Run(rnd, 64));
  return `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA${lines.join('\n')}\n-----END RSA PRIVATE KEY-----\n`;
}

function b64url(s: string): string {
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A JWT-shaped token with an unverifiable signature, planted in logs to exercise redaction. */
export function fakeJwt(seed: string): string {
  const rnd = seeded(seed);
  return `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url(`{"sub":"${seed}","iss":"https://iam.sim.invalid/"}`)}.${base64Run(rnd, 43).replace(/\+/g, '-').replace(/\//g, '_')}`;
}

export function fakePassword(seed: string): string {
  return `Sim-${base64Run(seeded(seed), 12).replace(/[+/]/g, 'x')}`;
}

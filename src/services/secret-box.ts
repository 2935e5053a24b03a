/** Seals short secrets (refresh tokens) at rest with AES-256-GCM; the key never leaves the process. */
export interface SecretBox {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

export async function createSecretBox(secretKey: string): Promise<SecretBox> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secretKey), 'HKDF', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('orchestrator/secret-box'), info: encoder.encode('v1') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return {
    async seal(plain) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(plain)));
      return `v1.${toBase64Url(iv)}.${toBase64Url(cipher)}`;
    },
    async open(sealed) {
      const [version, iv, cipher] = sealed.split('.');
      if (version !== 'v1' || !iv || !cipher) throw new Error('unknown sealed secret format');
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(iv) }, key, fromBase64Url(cipher));
      return new TextDecoder().decode(plain);
    },
  };
}

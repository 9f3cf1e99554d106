// The person's tokens are kept in their server-side session (the web_sessions table) sealed, not in clear: whoever
// reads the table or a backup gets no token that the API would take. AES-256-GCM with a key derived (HKDF-SHA-256)
// from the session secret, a fresh 96-bit IV per seal; a sealed value that was altered, or sealed under another
// secret, does not open (the person is asked to sign in again).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface Sealer {
  seal(plain: string): string;
  /** The plain text, or undefined when the value was not sealed by this key or was altered. */
  open(sealed: string): string | undefined;
}

export function sealer(secret: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'sentence-orchestrator-web', 'session tokens', 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
    },
    open(sealed) {
      const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
      if (!iv || !tag || !body || iv.length !== 12 || tag.length !== 16) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

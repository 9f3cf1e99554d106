// The web session's sealed tokens (web/sealed.ts): what is sealed opens with the same secret only, and not once altered.
import { describe, expect, it } from 'vitest';
import { sealer } from '../../web/sealed.ts';

const secret = 'a-session-secret-for-the-tests-of-forty-characters';

describe('sealed session tokens', () => {
  it('opens what it sealed, with a fresh IV each time, and hides the plain text', () => {
    const s = sealer(secret);
    const a = s.seal('eyJhbGciOiJSUzI1NiJ9.payload.signature');
    const b = s.seal('eyJhbGciOiJSUzI1NiJ9.payload.signature');
    expect(a).not.toBe(b);
    expect(a).not.toContain('payload');
    expect(a).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    expect(s.open(a)).toBe('eyJhbGciOiJSUzI1NiJ9.payload.signature');
  });

  it('does not open a value altered, truncated, or sealed under another secret', () => {
    const s = sealer(secret);
    const sealed = s.seal('token');
    const [iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(s.open([iv, tag, flipped.toString('base64url')].join('.'))).toBeUndefined();
    expect(s.open(`${iv}.${tag}`)).toBeUndefined();
    expect(s.open('not sealed')).toBeUndefined();
    expect(sealer('another-session-secret-of-forty-characters!!').open(sealed)).toBeUndefined();
  });
});

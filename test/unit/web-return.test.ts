// Where the web service sends a person after signing in (web/app.ts localPath): only a page of its own.
import { describe, expect, it } from 'vitest';
import { localPath } from '../../web/app.ts';

const base = 'https://sentences.example.gov.uk';

describe('the page to return to after signing in', () => {
  it('keeps a path of the service, with its query', () => {
    expect(localPath('/cases/X123-1', base)).toBe('/cases/X123-1');
    expect(localPath('/team?area=LDN', base)).toBe('/team?area=LDN');
  });

  it('sends anything else home: another host however written, a backslash, a control character, not a string', () => {
    for (const given of ['//evil.example', '/\\evil.example', '/\\/evil.example', 'https://evil.example/', 'cases', '/ok\r\nx', '/\t/evil'])
      expect(localPath(given, base), JSON.stringify(given)).toBe('/');
    expect(localPath(undefined, base)).toBe('/');
    expect(localPath(['/cases/A'], base)).toBe('/');
  });
});

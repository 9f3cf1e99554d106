// The README's first example starts a sentence dated today, so that a newcomer's first case is not overdue at once:
// its curl body, as the shell makes it, is a valid sentence whose sentence date is the day it is run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SentenceInputSchema } from '../../api/schemas.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const CURL = "curl -X POST localhost:3000/sentences -H 'content-type: application/json' -d";

describe('the README\u2019s quick start', () => {
  it('starts a valid sentence dated the day it is run (GNU date, as on the project\u2019s machines)', () => {
    const block = README.split('```sh\n')
      .find((b) => b.startsWith(CURL))
      ?.split('\n```')[0];
    expect(block, 'the quick start curl').toBeDefined();
    // The same command with printf in place of curl: the body exactly as the shell gives it to curl.
    const body = execFileSync('bash', ['-c', block!.replace(CURL, 'printf %s')], { encoding: 'utf8' });
    const parsed = SentenceInputSchema.safeParse(JSON.parse(body));
    expect(parsed.error?.issues ?? []).toEqual([]);
    const today = execFileSync('date', ['+%F'], { encoding: 'utf8' }).trim();
    expect(parsed.data?.order.sentenceDate).toBe(today);
    expect(README).not.toMatch(/"sentenceDate": "\d{4}-/);
  });
});

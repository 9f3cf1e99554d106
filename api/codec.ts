// The codec server for the Temporal Web UI (its "Codec Server" setting): POST /codec/decode and /codec/encode with
// `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`, as Temporal's codec server protocol has it. Behind the
// same bearer-token authentication as every route, and allowed to the operator role only (auth/policy.ts), so the
// UI shows decrypted payloads to an operator and ciphertext to anyone else. CORS for the UI's origin comes from
// CORS_ORIGINS (api/limits.ts).
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Request, Response } from 'express';
import { sendProblem } from './problems.ts';
import { z } from 'zod';

const Base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64');
const PayloadsBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).default({}), data: Base64.default('') })).max(1000),
});

const toPayload = (p: { metadata: Record<string, string>; data: string }): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});
const fromPayload = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** The codecs applied as the SDK applies them: encoding in order, decoding in reverse. */
export function codecHandler(codecs: readonly PayloadCodec[], direction: 'encode' | 'decode') {
  return async (req: Request, res: Response): Promise<void> => {
    const parsed = PayloadsBody.safeParse(req.body);
    if (!parsed.success) {
      sendProblem(req, res, 400, 'the body must be { payloads: [{ metadata, data }] } in base64');
      return;
    }
    const payloads = parsed.data.payloads.map(toPayload);
    try {
      let out = payloads;
      if (direction === 'encode') for (const c of codecs) out = await c.encode(out);
      else for (const c of [...codecs].reverse()) out = await c.decode(out);
      res.json({ payloads: out.map(fromPayload) });
    } catch (e) {
      sendProblem(req, res, 422, e instanceof Error ? e.message : 'the payloads could not be decoded');
    }
  };
}

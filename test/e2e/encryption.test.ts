// Encryption at rest: a sentence with marker values in its case reference, its offender characteristics and free text
// is started and commanded through the HTTP API (refusals included), and its raw history, fetched from the server as
// the Temporal Web UI or anyone with access to the server's database would see it, must hold none of them in clear;
// the same history decoded with the payload keys holds them (so the markers are really there, encrypted). Search
// attributes are never encrypted: they hold identifiers and codes only, and never the case reference.
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { workflowIdFor } from '../../contracts/index.ts';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { decryptPayload } from '../../ops/codec.ts';
import { TEST_KEYRING } from '../support/codec.ts';
import { httpClient } from '../support/commands.ts';
import { testDeps } from '../support/deps.ts';
import { baseOffender, communityOrder, uniqueId } from '../support/fixtures.ts';
import { useApiHarness } from '../support/temporal.ts';

const deps = testDeps();
const ctx = useApiHarness(deps);
const http = httpClient(
  () => ctx.base,
  () => ctx.token(),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every payload in a (proto-JSON) history: objects with `data` and a `metadata.encoding`. */
function payloads(node: Json, out: { metadata: Record<string, string>; data: string }[] = []) {
  if (Array.isArray(node)) for (const n of node) payloads(n, out);
  else if (node && typeof node === 'object') {
    const meta = node.metadata as Record<string, string> | undefined;
    if (meta && typeof meta === 'object' && METADATA_ENCODING_KEY in meta && typeof node.data === 'string') {
      out.push({ metadata: meta, data: node.data });
    }
    for (const v of Object.values(node)) payloads(v, out);
  }
  return out;
}
const b64 = (s: string) => Buffer.from(s, 'base64').toString('latin1');

describe('encryption at rest', () => {
  it("keeps a sentence's personal data and free text out of the server's history in clear", async () => {
    const today = londonDate(Date.now());
    const CASE_REF = 'Z987654';
    const offender = {
      ...baseOffender,
      sex: 'female' as const,
      communicationNeeds: { disability: true, learningDifficulty: false, interpreterLanguage: 'qx' },
    };
    const s = communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('ENC'), caseReference: CASE_REF, offender });
    expect((await http.post('/sentences', s)).status).toBe(201);
    const id = s.sentenceId;
    const REASON = 'MARKER-REASON-4242';
    const EVIDENCE = 'MARKER-EVIDENCE-8080';
    expect((await http.command(id, 'allocate', { offenderManagerId: 'OM1' })).status).toBe(200);
    expect((await http.command(id, 'record-first-appointment', {})).status).toBe(200);
    const booked = await http.command(id, 'record-appointment', { appointmentId: 'A1', date: today });
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    const outcome = { appointmentId: 'A1', outcome: 'acceptable-absence', reason: REASON } as const;
    expect((await http.command(id, 'record-appointment-outcome', outcome)).status).toBe(200);
    expect((await http.command(id, 'record-appointment-outcome', outcome)).status).toBe(409); // refused: a failure in history
    const evidenced = await http.command(id, 'record-output-evidence', {
      row: 4,
      by: 'OM1',
      what: EVIDENCE,
      details: { choice: 'female officer' },
    });
    expect(evidenced.status, JSON.stringify(evidenced.body)).toBe(200);
    const view = await http.get(`/sentences/${id}`);
    expect(JSON.stringify(view.body)).toContain(EVIDENCE); // the API still reads it

    const history = (
      await ctx.env.client.workflowService.getWorkflowExecutionHistory({
        namespace: 'default',
        execution: { workflowId: workflowIdFor(id) },
      })
    ).history!;
    const raw = JSON.parse(JSON.stringify(history)) as Json;
    const all = payloads(raw);
    const markers = [CASE_REF, REASON, EVIDENCE, '"qx"', 'interpreterLanguage', 'registeredSexOffender'];
    // Search attributes are indexed in clear (never encrypted): only identifiers and codes, and never the case reference.
    const indexed = all.filter((p) => b64(p.metadata[METADATA_ENCODING_KEY]!) === 'json/plain');
    for (const p of indexed) for (const m of markers) expect(b64(p.data), `a search attribute holds ${m}`).not.toContain(m);
    // Everything else is encrypted: inputs, results, Update arguments and results, queries, memo, summaries, failures.
    const encrypted = all.filter((p) => b64(p.metadata[METADATA_ENCODING_KEY]!) === 'binary/encrypted');
    expect(encrypted.length).toBeGreaterThan(10);
    expect(all.length - encrypted.length).toBe(indexed.length);
    const text = JSON.stringify(raw) + all.map((p) => b64(p.data)).join('\n');
    for (const m of markers) expect(text, m).not.toContain(m);
    // Decoded with the keys, the same history holds every marker.
    const decoded = encrypted
      .map((p) =>
        decryptPayload(TEST_KEYRING, {
          metadata: {
            [METADATA_ENCODING_KEY]: Buffer.from(p.metadata[METADATA_ENCODING_KEY]!, 'base64'),
            'encryption-key-id': Buffer.from(p.metadata['encryption-key-id']!, 'base64'),
          },
          data: Buffer.from(p.data, 'base64'),
        }),
      )
      .map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'))
      .join('\n');
    for (const m of [CASE_REF, REASON, EVIDENCE, 'interpreterLanguage']) expect(decoded, m).toContain(m);

    // The codec server decodes the same payloads for an operator (the Temporal Web UI's codec setting), and for no one else.
    const body = JSON.stringify({ payloads: encrypted });
    const codec = async (who: string) =>
      fetch(`${ctx.base}/codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token(who)}` },
        body,
      });
    const viaServer = (await (await codec('operator')).json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(viaServer.payloads).toHaveLength(encrypted.length);
    expect(viaServer.payloads.every((p) => b64(p.metadata.encoding!) !== 'binary/encrypted')).toBe(true);
    const served = viaServer.payloads.map((p) => b64(p.data)).join('\n');
    for (const m of [CASE_REF, REASON, EVIDENCE, 'interpreterLanguage']) expect(served, m).toContain(m);
    for (const who of ['practitioner-ldn', 'spo-ldn', 'auditor', 'case-system']) expect((await codec(who)).status, who).toBe(403);
  });
});

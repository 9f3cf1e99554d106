// The OpenAPI document (api/openapi.ts): valid by the OpenAPI 3.1 schema (a standard validator), every route the app
// serves in it, its examples valid by their own schemas, and the evidence each output row needs told from the same
// definitions the workflow checks it with (api/evidence.ts), in the document and the README.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Client } from '@temporalio/client';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { evidenceRows, evidenceTable } from '../../api/evidence.ts';
import { openApiDocument } from '../../api/openapi.ts';
import type { z } from 'zod';
import {
  AlertSchema,
  AuditSchema,
  CaseloadEntrySchema,
  CaseViewSchema,
  conformanceRow,
  DeadlineSchema,
  DeliveriesSchema,
  OutputsSchema,
  SummarySchema,
  TeamSchema,
  TimelineEntrySchema,
  WorklistItemSchema,
} from '../../api/responses.ts';
import type { AlertRecord, AuditRecord, CaseloadEntry, DeliveryRecord, TeamView, WorklistItem } from '../../store/index.ts';
import type { ConformanceRow } from '../../domain/outputs/conformance.ts';
import type { CaseSummary } from '../../domain/lifecycle.ts';
import type { Deadline, TimelineEntry } from '../../domain/state.ts';
import { evidenceRejection, EVIDENCE_FIELDS, type LedgerEntry } from '../../domain/outputs/ledger.ts';

type Json = Record<string, unknown>;
const doc = openApiDocument({ issuer: 'https://idp.example/realms/probation' }) as unknown as {
  paths: Record<string, Record<string, Json>>;
  components: Json & { securitySchemes: Json };
  security: Json[];
};

/** Every route the app serves, as `METHOD /template` (Express's `:id` as `{id}`). */
function appRoutes(): string[] {
  const client = { options: { namespace: 'default', loadedDataConverter: { payloadCodecs: [] } } } as unknown as Client;
  const app = createApp({ client, auth: { verify: () => Promise.reject(new Error('no tokens here')) } });
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  return stack.flatMap((l) =>
    l.route ? Object.keys(l.route.methods).map((m) => `${m.toUpperCase()} ${l.route!.path.replace(/:(\w+)/g, '{$1}')}`) : [],
  );
}

const documented = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 by the specification\u2019s own schema', async () => {
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route the API serves, and no other', () => {
    // Outside it: the Temporal Web UI's codec server (Temporal's protocol), and the reference page's own files.
    const served = appRoutes().filter((r) => !r.includes(' /codec/') && !/ \/docs\/./.test(r));
    expect(new Set(documented())).toEqual(new Set(served));
  });

  it('gives every operation a tag, an operationId and a 2xx answer with a schema, and every error as a problem', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops) as [string, { tags?: string[]; operationId?: string; responses: Json }][]) {
        expect(op.tags?.length, `${method} ${path}`).toBe(1);
        expect(ids.has(op.operationId!), `${op.operationId} once`).toBe(false);
        ids.add(op.operationId!);
        const ok = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
        expect(ok.length, `${method} ${path}`).toBeGreaterThan(0);
        for (const [, r] of ok) for (const c of Object.values((r as { content: Json }).content)) expect(c).toHaveProperty('schema');
        for (const [s, r] of Object.entries(op.responses).filter(([s]) => /^[45]/.test(s))) {
          const content = (r as { content?: Json; $ref?: string }).content;
          // Readiness answers 503 with each check's outcome, as it answers 200.
          const expected = path === '/health/ready' ? ['application/json'] : ['application/problem+json'];
          if (content) expect(Object.keys(content), `${method} ${path} ${s}`).toEqual(expected);
        }
      }
    }
  });

  it('names a bearer JWT and the issuer\u2019s OpenID discovery document, and needs no token only where the API needs none', () => {
    expect(doc.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      openId: { type: 'openIdConnect', openIdConnectUrl: 'https://idp.example/realms/probation/.well-known/openid-configuration' },
    });
    expect(doc.security).toEqual([{ bearer: [] }, { openId: [] }]);
    const open = Object.entries(doc.paths)
      .filter(([, ops]) => Object.values(ops).some((op) => Array.isArray(op.security) && op.security.length === 0))
      .map(([p]) => p);
    expect(open.sort()).toEqual(['/docs', '/health', '/health/live', '/health/ready', '/openapi.json', '/problems', '/problems/{type}']);
    expect(openApiDocument().components.securitySchemes).not.toHaveProperty('openId');
  });

  it('has examples that are valid by their schemas (the sentence dated today)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema(doc as unknown as Json, 'openapi');
    const found: string[] = [];
    const walk = (node: unknown, pointer: string): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Json;
      if (n.schema && n.examples) {
        const validate = ajv.compile({ $ref: `openapi#${pointer}/schema` });
        for (const [name, ex] of Object.entries(n.examples as Record<string, { value: unknown }>)) {
          found.push(name);
          expect(validate(ex.value), `${pointer} ${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        }
      }
      for (const [k, v] of Object.entries(n)) walk(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    };
    walk(doc, '');
    expect(found).toEqual(expect.arrayContaining(['communityOrder', 'allocate', 'notValidInPhase', 'refused']));
    const post = doc.paths['/sentences']!.post as { requestBody: { content: { 'application/json': { examples: Json } } } };
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    expect(post.requestBody.content['application/json'].examples).toMatchObject({
      communityOrder: { value: { order: { sentenceDate: today } } },
    });
  });
});

describe('the evidence each output row needs', () => {
  it('is the workflow\u2019s own rule: evidence without a row\u2019s details or part is refused, with them taken', () => {
    for (const r of evidenceRows()) {
      const part = r.parts[0];
      const parts = r.parts.map((id) => ({ id, applies: true, reason: '', evidence: [] }));
      const ledger: LedgerEntry[] = [{ row: r.row, applies: true, reason: '', status: 'due', evidence: [], ...(part && { parts }) }];
      const details = Object.fromEntries(r.details.map((d) => [d, r.mustBeTrue.includes(d) ? true : 'given']));
      const at = { row: r.row, ...(part && { part }) };
      expect(evidenceRejection(ledger, { ...at, details }, true), `row ${r.row}`).toBeUndefined();
      expect(evidenceRejection(ledger, at, true) === undefined, `row ${r.row} without details`).toBe(r.details.length === 0);
      for (const d of r.mustBeTrue)
        expect(evidenceRejection(ledger, { ...at, details: { ...details, [d]: 'yes' } }, true)).toMatch(/is true/);
      if (part) expect(evidenceRejection(ledger, { row: r.row, details }, true)).toMatch(/recorded per part/);
    }
    expect(evidenceRows().find((r) => r.row === 29)).toMatchObject({ details: ['tool', 'roshLevel'], parts: [] });
  });

  it('is in the document: the evidence command\u2019s description, its part ids and its details', () => {
    const op = doc.paths['/sentences/{id}/outputs/evidence']!.post as {
      description: string;
      requestBody: { content: { 'application/json': { schema: { properties: Record<string, Json> } } } };
    };
    expect(op.description).toContain(evidenceTable());
    const props = op.requestBody.content['application/json'].schema.properties;
    expect(props.part!.enum).toEqual([
      'csc',
      'police-rso',
      'police-da',
      'immigration',
      'mappa',
      'visor',
      'safeguarding-children',
      'marac',
      'cpa',
    ]);
    expect(Object.keys(props.details!.properties as Json).sort()).toEqual([...new Set(Object.values(EVIDENCE_FIELDS).flat())].sort());
    expect((props.details!.properties as Record<string, Json>).understandingConfirmed).toMatchObject({ const: true });
  });

  it('is in the README, as the same table', () => {
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(evidenceTable());
  });
});

// What the code answers fits the answers' schemas (api/responses.ts): checked by the compiler.

type Fits<Actual, Schema extends z.ZodType> = [Actual] extends [z.infer<Schema>] ? true : false;
const _fits: [
  Fits<CaseSummary, typeof SummarySchema>,
  Fits<ReturnType<typeof import('../../api/app.ts').view>, typeof CaseViewSchema>,
  Fits<ReturnType<typeof import('../../api/app.ts').outputsView>, typeof OutputsSchema>,
  Fits<Deadline, typeof DeadlineSchema>,
  Fits<TimelineEntry, typeof TimelineEntrySchema>,
  Fits<WorklistItem, typeof WorklistItemSchema>,
  Fits<CaseloadEntry, typeof CaseloadEntrySchema>,
  Fits<TeamView, typeof TeamSchema>,
  Fits<AlertRecord, typeof AlertSchema>,
  Fits<DeliveryRecord, typeof DeliveriesSchema.shape.items.element>,
  Fits<AuditRecord, typeof AuditSchema.shape.items.element>,
  Fits<ConformanceRow, typeof conformanceRow>,
] = [true, true, true, true, true, true, true, true, true, true, true, true];
void _fits;

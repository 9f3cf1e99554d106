// Real Temporal servers for tests, started from the binaries the project installs (never downloaded at run time).
import { TestWorkflowEnvironment } from '@temporalio/testing';
import protos from '@temporalio/proto';

const { temporal } = protos;
import { SearchAttributeType } from '@temporalio/common';
import { ensureToolchain } from '../../scripts/toolchain.mjs';
import { SEARCH_ATTRIBUTES } from '../../contracts';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

export function toolchain() {
  return ensureToolchain({ quiet: true });
}

export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolchain().testServer } },
  });
  const indexed: Record<string, number> = {
    [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  };
  const toIndexed = (t: SearchAttributeType) => indexed[t as string]!;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, toIndexed(k.type)])),
  });
  return env;
}

/** A dev server (SQLite in memory) with the project's search attributes; `extraArgs` for dynamic config. */
export async function devServerEnv(extraArgs: string[] = []): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: toolchain().cli },
      searchAttributes: [...SEARCH_ATTRIBUTES],
      extraArgs: ['--log-level', 'never', ...extraArgs],
    },
  });
}

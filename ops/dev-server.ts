// The embedded Temporal dev server's settings, in one place for `npm start`, the tests and the benchmarks.
//
// SQLite in write-ahead-log mode with synchronous=NORMAL: a commit is one append to the log rather than a rewrite of
// the rollback journal: issue 11 measured 24.9–26.8 sentences started a second with it against 9.6–11.7 without.
// The trade-off: after a power loss (not a process crash) the last transactions before it may be lost, but the
// database stays consistent; after a crash of the server process nothing committed is lost. A deployment that cannot
// accept that runs the Temporal cluster on PostgreSQL (docker-compose.yml), not the dev server.
//
// The search attributes are registered when the server starts, so its default of reading cluster metadata afresh on
// every search-attribute read (forceSearchAttributesCacheRefreshOnRead, meant for tests that add attributes on the
// fly) only costs database reads on every upsert.
export const DEV_SERVER_SETTINGS: readonly string[] = [
  '--sqlite-pragma',
  'journal_mode=wal',
  '--sqlite-pragma',
  'synchronous=NORMAL',
  '--dynamic-config-value',
  'system.forceSearchAttributesCacheRefreshOnRead=false',
];

export declare const PINS: {
  cli: { pypi: string; version: string; goModule: string };
  testServer: { pypi: string; version: string; maven: string };
};
export declare const ROOT: string;
export declare function ensureToolchain(opts?: { quiet?: boolean }): { cli: string; testServer: string };

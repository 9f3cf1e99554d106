// Who sent a command, as the workflow records it on the timeline and the evidence (the API's authenticated principal).

/** Who sent a command: the principal its access token named (api/auth.ts). Absent in entries recorded before 0.4.0. */
export interface Actor {
  /** The staff id of a person, the client id of a machine client. */
  id: string;
  kind: 'user' | 'client';
  roles: string[];
  clientId: string;
}

/** A signal's actor as the API sends it (contracts' SignalArgs); anything else names no one. */
export function isActor(a: unknown): a is Actor {
  const x = a as Partial<Actor> | undefined;
  return (
    !!x &&
    typeof x.id === 'string' &&
    (x.kind === 'user' || x.kind === 'client') &&
    Array.isArray(x.roles) &&
    typeof x.clientId === 'string'
  );
}

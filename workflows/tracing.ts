// The workflow's part in tracing (ops/tracing.ts), bundled with the workflow code as an interceptor module: the trace
// context that arrives with the workflow's start, an Update or a Signal (the `_tracer-data` header the OpenTelemetry
// client interceptor writes) is passed on, unchanged, in the headers of the activities the workflow schedules after
// it, where the OpenTelemetry activity interceptor makes the activity's span a child of the caller's.
//
// Deliberately not OpenTelemetry's own workflow interceptors: they yield to the event loop around each command, which
// reorders the commands of every sentence recorded without them (the replay corpus proves it). This module only copies
// a header: no await, no command, no state the workflow's logic reads, so every recorded history replays unchanged.
// A timer-driven activity carries the context of the last call that had one in this run; a new run (continue-as-new)
// starts without one.
import type { Payload } from '@temporalio/common';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** The header OpenTelemetry's Temporal interceptors carry the trace context in (TRACE_HEADER in the SDK package). */
export const TRACE_HEADER = '_tracer-data';

export const interceptors: WorkflowInterceptorsFactory = () => {
  let latest: Payload | undefined;
  const remember = (headers: Record<string, Payload>) => {
    if (headers[TRACE_HEADER]) latest = headers[TRACE_HEADER];
  };
  return {
    inbound: [
      {
        execute(input, next) {
          remember(input.headers);
          return next(input);
        },
        handleUpdate(input, next) {
          remember(input.headers);
          return next(input);
        },
        handleSignal(input, next) {
          remember(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity(input, next) {
          return next(latest && !input.headers[TRACE_HEADER] ? { ...input, headers: { ...input.headers, [TRACE_HEADER]: latest } } : input);
        },
      },
    ],
  };
};

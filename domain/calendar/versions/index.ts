// Every published calendar version, oldest first. Append only: a version in use by a running sentence is never edited
// or removed (test/unit/frozen.test.ts holds each one's hash). `npm run refresh:bank-holidays` adds the next one.
import type { CalendarSnapshot } from '../types.ts';
import { CALENDAR as EW_2026_11_23 } from './ew-2026-11-23.ts';

export const CALENDAR_SNAPSHOTS: readonly CalendarSnapshot[] = [EW_2026_11_23];

// Messages to people (issue 13, "Notifications to people"): an alert to the officer holding the case, or to the area's
// managers while it is unallocated; and each person's daily digest of what is due this week. Sent by GOV.UK Notify
// (notifications-node-client, its API key and templates from configuration) or as a signed webhook, chosen by
// PEOPLE_CHANNEL; `held` (the default) keeps them in the store for a person to act on. Each message is logged once per
// key (store/people.ts): a retried activity never sends a sent message again. A message carries only its template's
// fields: the case's id, what is due and when, a link. Never a name, an offender's details or free text.
import { ApplicationFailure } from '@temporalio/activity';
import { readFileSync } from 'node:fs';
import axios from 'axios';
import { NotifyClient } from 'notifications-node-client';
import { z } from 'zod';
import type { Alert } from '../domain/alerts.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { DueItem, PersonChannel, PersonNotificationLog } from '../store/index.ts';
import { checkUrl, MIN_SECRET_LENGTH, retryableStatus, settingsOrExit, signedPost } from './http.ts';

/** Who people are, for messages: each staff id's email address, and each area's managers (staff ids). */
export interface StaffDirectory {
  staff: Record<string, { email?: string }>;
  areaManagers: Record<string, string[]>;
}

const DirectorySchema = z.strictObject({
  staff: z.record(z.string(), z.strictObject({ email: z.email().optional() })).default({}),
  areaManagers: z.record(z.string(), z.array(z.string())).default({}),
});

/** One message to one person: its template's fields only. */
export interface PersonMessage {
  key: string;
  staffId: string;
  kind: 'alert' | 'digest';
  personalisation: Record<string, string>;
}

/** Sends one message; throws a retryable ApplicationFailure for a failure that may pass, a permanent one otherwise. */
type Send = (m: PersonMessage, directory: StaffDirectory) => Promise<void>;

export interface PeopleSettings {
  channel: PersonChannel;
  directory: StaffDirectory;
  /** Where a message's link points: the web service's address (PUBLIC_URL). */
  publicUrl: string;
  notify?: { apiKey: string; baseUrl?: string; templates: { alert: string; digest: string } };
  webhook?: { url: string; secret: string };
}

/** The settings from the environment; throws naming the variable when one is missing or unsafe. */
export function peopleSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): PeopleSettings {
  const channel = (env.PEOPLE_CHANNEL ?? 'held') as PersonChannel;
  if (!['notify', 'webhook', 'held'].includes(channel)) throw new Error('PEOPLE_CHANNEL must be notify, webhook or held');
  const file = env.STAFF_DIRECTORY_FILE;
  const directory = DirectorySchema.parse(file ? JSON.parse(readFileSync(file, 'utf8')) : {});
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`;
  const settings: PeopleSettings = { channel, directory, publicUrl };
  if (channel === 'notify') {
    const { NOTIFY_API_KEY: apiKey, NOTIFY_TEMPLATE_ALERT: alert, NOTIFY_TEMPLATE_DIGEST: digest } = env;
    if (!apiKey || !alert || !digest)
      throw new Error('PEOPLE_CHANNEL=notify needs NOTIFY_API_KEY, NOTIFY_TEMPLATE_ALERT and NOTIFY_TEMPLATE_DIGEST');
    if (env.NOTIFY_BASE_URL) checkUrl('NOTIFY_BASE_URL', env.NOTIFY_BASE_URL);
    settings.notify = { apiKey, templates: { alert, digest }, ...(env.NOTIFY_BASE_URL && { baseUrl: env.NOTIFY_BASE_URL }) };
  }
  if (channel === 'webhook') {
    const { PEOPLE_WEBHOOK_URL: url, PEOPLE_WEBHOOK_SECRET: secret } = env;
    if (!url || !secret) throw new Error('PEOPLE_CHANNEL=webhook needs PEOPLE_WEBHOOK_URL and PEOPLE_WEBHOOK_SECRET');
    checkUrl('PEOPLE_WEBHOOK_URL', url);
    if (secret.length < MIN_SECRET_LENGTH) throw new Error(`PEOPLE_WEBHOOK_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
    settings.webhook = { url, secret };
  }
  return settings;
}

/** The settings, or exit 2 naming the bad one. */
export function peopleSettingsOrExit(label: string, env: NodeJS.ProcessEnv = process.env): PeopleSettings {
  return settingsOrExit(label, () => peopleSettingsFromEnv(env));
}

/** An HTTP status's verdict: retried for 408, 429 and 5xx and when nothing answered; refused for good otherwise. */
function failure(what: string, status: number | undefined, detail: string): ApplicationFailure {
  const message = `${what} ${status === undefined ? 'unreachable' : `answered ${status}`}: ${detail.slice(0, 200)}`;
  return status === undefined || retryableStatus(status)
    ? ApplicationFailure.retryable(message, 'PersonNotificationFailed')
    : ApplicationFailure.nonRetryable(message, 'PersonNotificationRejected');
}

function notifySender(n: NonNullable<PeopleSettings['notify']>): Send {
  const client = n.baseUrl ? new NotifyClient(n.baseUrl, n.apiKey) : new NotifyClient(n.apiKey);
  // A timeout, and no redirects followed (a 3xx is a failure, as for the agencies' deliveries).
  client.setClient(axios.create({ timeout: 15_000, maxRedirects: 0 }) as unknown as Parameters<NotifyClient['setClient']>[0]);
  return async (m, directory) => {
    const email = directory.staff[m.staffId]?.email;
    if (!email) throw ApplicationFailure.nonRetryable(`no email address for staff ${m.staffId}`, 'PersonNotificationRejected');
    try {
      await client.sendEmail(n.templates[m.kind], email, { personalisation: m.personalisation, reference: m.key });
    } catch (e) {
      const res = (e as { response?: { status?: number; data?: unknown } }).response;
      throw failure('GOV.UK Notify', res?.status, JSON.stringify(res?.data ?? (e instanceof Error ? e.message : String(e))));
    }
  };
}

function webhookSender(w: NonNullable<PeopleSettings['webhook']>): Send {
  return async (m) => {
    let res: Response;
    try {
      res = await signedPost(w, m.key, m, AbortSignal.timeout(15_000));
    } catch (e) {
      throw failure('the people webhook', undefined, e instanceof Error ? e.message : String(e));
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw failure('the people webhook', res.status, text);
  };
}

export interface People {
  /** Tells the officer holding the case of an alert, or each of the area's managers while it is unallocated. */
  alert(alert: Alert): Promise<{ sent: number; held: number }>;
  /** Sends each person their digest of the items due on or before `until` (a week from `on`). */
  digest(q: { on: IsoDate; until: IsoDate; items: DueItem[] }): Promise<{ people: number; sent: number; held: number }>;
}

/** Each person's items: the cases they hold, and for each area's managers its unallocated and escalated items. */
function itemsByPerson(items: DueItem[], directory: StaffDirectory): [string, DueItem[]][] {
  const byPerson = new Map<string, DueItem[]>();
  const give = (staffId: string, item: DueItem) => byPerson.set(staffId, [...(byPerson.get(staffId) ?? []), item]);
  for (const item of items) {
    if (item.holder) give(item.holder, item);
    if (item.forManagers) for (const m of directory.areaManagers[item.areaCode] ?? []) if (m !== item.holder) give(m, item);
  }
  return [...byPerson].sort(([a], [b]) => a.localeCompare(b));
}

/** A digest's fields: the week's end, how many items and how many overdue, and each case with its count. */
function digestFields(until: IsoDate, mine: DueItem[], link: string): Record<string, string> {
  const cases = [...new Set(mine.map((i) => i.sentenceId))];
  return {
    week_ending: until,
    items: String(mine.length),
    overdue: String(mine.filter((i) => i.overdue).length),
    cases: cases.map((c) => `${c} (${mine.filter((i) => i.sentenceId === c).length})`).join(', '),
    link,
  };
}

/** Sends one message unless it was sent before; held when there is no channel (or no address, for Notify). */
function deliverer(settings: PeopleSettings, log: PersonNotificationLog) {
  const send: Send | undefined =
    settings.channel === 'notify'
      ? notifySender(settings.notify!)
      : settings.channel === 'webhook'
        ? webhookSender(settings.webhook!)
        : undefined;
  return async (m: PersonMessage): Promise<'sent' | 'held' | 'already'> => {
    const unaddressed = settings.channel === 'notify' && !settings.directory.staff[m.staffId]?.email;
    const channel: PersonChannel = !send || unaddressed ? 'held' : settings.channel;
    const record = await log.open({ key: m.key, staffId: m.staffId, kind: m.kind, channel });
    if (record.status === 'sent') return 'already';
    if (record.channel === 'held' || !send) return 'held';
    try {
      await send(m, settings.directory);
    } catch (e) {
      const rejected = e instanceof ApplicationFailure && e.nonRetryable;
      await log.settle(m.key, { status: rejected ? 'rejected' : 'pending', error: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    await log.settle(m.key, { status: 'sent' });
    return 'sent';
  };
}

const tally = (outcomes: string[]) => ({
  sent: outcomes.filter((o) => o === 'sent').length,
  held: outcomes.filter((o) => o === 'held').length,
});

export function people(settings: PeopleSettings, log: PersonNotificationLog): People {
  const deliver = deliverer(settings, log);
  const link = (sentenceId?: string) => `${settings.publicUrl}${sentenceId ? `/cases/${encodeURIComponent(sentenceId)}` : '/worklist'}`;
  return {
    async alert(a) {
      const to = a.offenderManagerId ? [a.offenderManagerId] : (settings.directory.areaManagers[a.areaCode] ?? []);
      const outcomes: string[] = [];
      for (const staffId of to) {
        const personalisation = { case: a.sentenceId, what: a.label, due: a.dueDate, link: link(a.sentenceId) };
        outcomes.push(await deliver({ key: `${a.idempotencyKey}/to/${staffId}`, staffId, kind: 'alert', personalisation }));
      }
      return tally(outcomes);
    },
    async digest({ on, until, items }) {
      const byPerson = itemsByPerson(items, settings.directory);
      const outcomes: string[] = [];
      for (const [staffId, mine] of byPerson) {
        outcomes.push(
          await deliver({ key: `digest/${on}/${staffId}`, staffId, kind: 'digest', personalisation: digestFields(until, mine, link()) }),
        );
      }
      return { people: byPerson.length, ...tally(outcomes) };
    },
  };
}

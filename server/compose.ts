/**
 * The modules and how they are wired to each other, shared by the API (`main.ts`) and the
 * background `worker.ts`: one place decides which module gets which port.
 */
import type { Handlers } from '../generated/v1/handlers.js';
import type { WsHandlers } from '../generated/v1/ws-events.js';
import { createBillingModule, type BillingModule } from './modules/billing/index.js';
import { createChatModule, type ChatModule } from './modules/chat/index.js';
import { createCreditsModule, type CreditsModule } from './modules/credits/index.js';
import { createEnquiryModule } from './modules/enquiry/index.js';
import { createEventsModule } from './modules/events/index.js';
import { createHealthModule } from './modules/health/index.js';
import { createIdentityModule, type IdentityModule } from './modules/identity/index.js';
import { createPacksModule, type PacksModule } from './modules/packs/index.js';
import {
  createSubscriptionsModule,
  type SubscriptionsModule,
} from './modules/subscriptions/index.js';
import type { Config } from './shared/config/config.js';
import type { Db } from './shared/db/db.js';
import type { EventConsumer } from './shared/events/event-consumer.js';
import { purgePublishedOutbox } from './shared/events/outbox-retention.js';
import { createIdempotencyStore } from './shared/http/idempotency.js';
import type { HousekeepingTask } from './shared/jobs/housekeeping.js';
import type { RequestContext } from './shared/http/request-context.js';
import type { Logger } from './shared/logging/logger.js';
import type { RealtimeFanout, WsContext, WsLifecycle } from './shared/realtime/index.js';
import type { Clock } from './shared/time/clock.js';

export interface Modules {
  identity: IdentityModule;
  credits: CreditsModule;
  billing: BillingModule;
  packs: PacksModule;
  subscriptions: SubscriptionsModule;
  chat: ChatModule;
  /** Every module's reactions to committed events, for the outbox relay. */
  consumers: readonly EventConsumer[];
  /** One handler per HTTP operation of the contract (tsc checks that none is missing). */
  handlers: Handlers<RequestContext>;
  /** One handler per inbound WebSocket message of each channel (tsc checks that none is missing). */
  wsHandlers: WsHandlers<WsContext>;
  /** What the WS server runs when a socket opens and closes, and on each heartbeat. */
  wsLifecycle: WsLifecycle;
  /** What the housekeeping timer deletes once it has expired. */
  housekeeping: readonly HousekeepingTask[];
}

/** Creates every module; `fanout` delivers events to sockets (a no-op where no sockets are served). */
export function composeModules(deps: {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  fanout: RealtimeFanout;
}): Modules {
  const { config, db, clock, log, fanout } = deps;
  const health = createHealthModule({ db, version: config.version });
  const identity = createIdentityModule({ db, clock, log, fanout });
  const enquiry = createEnquiryModule({ db });
  const credits = createCreditsModule({ db, clock, fanout });
  const billing = createBillingModule({ db, clock, log, config });
  const subscriptions = createSubscriptionsModule({
    db,
    clock,
    checkout: billing.checkout,
    credits: credits.ledger,
  });
  const packs = createPacksModule({
    db,
    clock,
    checkout: billing.checkout,
    credits: credits.ledger,
    activePlans: () => subscriptions.plans(true),
  });
  const chat = createChatModule({ db, log, users: identity, fanout });
  const consumers = [
    ...chat.consumers,
    ...billing.consumers,
    ...packs.consumers,
    ...subscriptions.consumers,
  ];
  const events = createEventsModule({ db, log, consumers });
  const handlers: Handlers<RequestContext> = {
    ...health.http,
    ...identity.http,
    ...enquiry.http,
    ...chat.http,
    ...events.http,
    ...billing.http,
    ...packs.http,
    ...subscriptions.http,
    ...credits.http,
  };
  const housekeeping = housekeepingTasks({ config, db, identity, chat });
  return {
    identity,
    credits,
    billing,
    packs,
    subscriptions,
    chat,
    consumers,
    handlers,
    wsHandlers: { ...chat.ws },
    wsLifecycle: chat.lifecycle,
    housekeeping,
  };
}

/** The housekeeping timer's tasks; what each keeps, and for how long, is in docs/retention.md. */
function housekeepingTasks(deps: {
  config: Config;
  db: Db;
  identity: ReturnType<typeof createIdentityModule>;
  chat: ReturnType<typeof createChatModule>;
}): HousekeepingTask[] {
  const { config, db, identity, chat } = deps;
  const idempotency = createIdempotencyStore(db);
  const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
  // What each task keeps, and for how long, is stated in docs/retention.md.
  return [
    {
      name: 'identity',
      run: (now) =>
        identity.purgeExpired(now, { endedSessionsMs: config.retentionEndedSessionsMs }),
    },
    { name: 'idempotencyKeys', run: (now) => idempotency.purgeExpired(now) },
    { name: 'chatPresence', run: (now) => chat.purgeStalePresence(now) },
    {
      name: 'chatDeletedBodies',
      run: (now) =>
        chat.purgeDeletedBodies(now, {
          moderationTextMs: config.retentionModerationTextMs,
          // A deleted message's copies are nulled at the first pass after the deletion; looking back
          // further than any retention (plus a day) also covers passes that did not run for a while.
          deletedSince: ago(
            now,
            Math.max(config.retentionPublishedOutboxMs, config.retentionModerationTextMs) +
              24 * 3_600_000,
          ),
        }),
    },
    {
      name: 'publishedOutbox',
      run: (now) => purgePublishedOutbox(db, ago(now, config.retentionPublishedOutboxMs)),
    },
    { name: 'chatIdleGuests', run: (now) => chat.purgeIdleGuests(now) },
  ];
}

/** For a process that serves no sockets: events still reach API instances through the relay's NOTIFY. */
export const noSocketsFanout: RealtimeFanout = {
  onEvent: () => undefined,
  broadcast: async () => undefined,
};

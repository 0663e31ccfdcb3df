import type { DomainEvent } from '../events/domain-event.js';
import { appendToOutbox } from '../events/outbox.js';
import type { Db, Queryable, Tx } from '../db/db.js';

export interface TxOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
}

/** One transaction, with the module's repositories bound to it. */
export type Work<R> = R & {
  /**
   * The transaction itself, opaque: handed to another module's function that joins it (a credits
   * grant inside a pack purchase's settlement), never queried by a use-case.
   */
  readonly tx: Tx;
  /** Writes the event to the outbox in this transaction: it is published if and only if it commits. */
  appendEvent(event: DomainEvent): Promise<void>;
};

/**
 * The one way a module reaches its tables. Every transaction a module opens begins in `run`, and
 * every read goes through `read`, so this is the single place where per-transaction settings go:
 * the kitchen of a request (`SET LOCAL app.kitchen_id`) for row-level security, when kitchens
 * become tenants, is set here and nowhere else.
 * @example
 * const uow = createUnitOfWork(db, (q) => ({ enquiries: createEnquiryRepository(q) }));
 * await uow.run(async ({ enquiries, appendEvent }) => {
 *   const e = await enquiries.insert(row);
 *   await appendEvent(domainEvent('enquiry.received', { enquiryId: e.id }, meta));
 * });
 * const page = await uow.read(({ enquiries }) => enquiries.list(filter));
 */
export interface UnitOfWork<R> {
  /**
   * Runs `fn` in one transaction and commits when it returns (rolls back when it throws).
   * Serialization failures and deadlocks run `fn` again, so it must have no side effect outside
   * the database: call a payment provider before or after, never inside. Inside `db.txScope` (an
   * Idempotency-Key's transaction) it is a savepoint of that transaction: it rolls back alone when
   * `fn` throws, and otherwise commits or rolls back with the key's stored answer.
   */
  run<T>(fn: (work: Work<R>) => Promise<T>, options?: TxOptions): Promise<T>;
  /**
   * Runs `fn` outside a transaction, on the pool: every statement commits on its own. For reads,
   * and for a write that is one statement and needs nothing else atomic with it (resolving a
   * session moves its idle expiry on every request without opening a transaction). Inside
   * `db.txScope` its statements run on the scope's transaction, so it sees what `run` wrote there.
   */
  read<T>(fn: (repos: R) => Promise<T>): Promise<T>;
  /**
   * The repositories bound to a transaction someone else began: another module's `run` (a
   * cross-module call joins its caller's transaction) or the outbox relay's (an event consumer's
   * writes commit with the event's processed record). Opens nothing; commits nothing. The relay
   * claims events of every kitchen in one transaction, so per-kitchen settings for its consumers
   * belong where it hands each event over (`deliverOnce`), not here.
   */
  join(tx: Tx): Work<R>;
}

/**
 * A module's unit of work over the pool: `bind` makes the module's repositories on a connection
 * or a transaction (cheap: plain objects, made per transaction).
 */
export function createUnitOfWork<R extends object>(
  db: Db,
  bind: (queryable: Queryable) => R,
): UnitOfWork<R> {
  const pooled = bind(db);
  const work = (tx: Tx): Work<R> => ({
    ...bind(tx),
    tx,
    appendEvent: (event) => appendToOutbox(tx, event),
  });
  // Both go through `db` (its `tx` and `query`), never around it, so they join an open txScope.
  return {
    run: (fn, options) => db.tx((tx) => fn(work(tx)), options),
    read: (fn) => fn(pooled),
    join: work,
  };
}

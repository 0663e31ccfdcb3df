/** One row per open user socket, across instances. Bound by the unit of work. */
export interface PresenceRepository {
  /** Records an open socket; returns how many the user has now. Serialized per user. */
  add(connectionId: string, userId: string, at: Date): Promise<number>;
  /** Forgets a socket; returns its user and how many sockets they still have. */
  remove(connectionId: string): Promise<{ userId: string; remaining: number } | null>;
  /** Marks these sockets' presence rows as seen now (their instance is alive). */
  refresh(connectionIds: readonly string[], at: Date): Promise<void>;
  /** Deletes up to `limit` rows not seen since `before` (their instance died); how many. */
  deleteStale(before: Date, limit: number): Promise<number>;
}

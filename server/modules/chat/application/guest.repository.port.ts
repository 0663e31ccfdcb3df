/** The site's guests, stored with their first message. Bound by the unit of work. */
export interface GuestRepository {
  find(guestId: string): Promise<{ id: string; lastActiveAt: Date } | null>;
  /** Stores a guest; nothing when it is stored already. */
  insert(guestId: string, at: Date): Promise<void>;
  touch(guestId: string, at: Date): Promise<void>;
  /**
   * Deletes up to `limit` guests that never wrote (an empty visitor conversation) and were last
   * active before `before`, with their conversations; how many guests.
   */
  deleteIdle(before: Date, limit: number): Promise<number>;
}

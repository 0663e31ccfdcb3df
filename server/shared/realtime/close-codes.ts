/** Close codes this server uses. */
export const CLOSE = {
  /** Policy violation: repeated bad frames, too many fragments. */
  POLICY: 1008,
  TOO_BIG: 1009,
  INTERNAL: 1011,
  GOING_AWAY: 1001,
  /** The session behind the socket ended (logout, password change, disabled account, expiry). */
  SESSION_ENDED: 4001,
} as const;

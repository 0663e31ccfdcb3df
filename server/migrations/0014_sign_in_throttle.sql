-- Sign-in throttling by account and client network with progressive delays (issue 11, point 7),
-- replacing login_throttle's per-account lock, which a guesser anywhere could hold over the owner.
-- Keys: (account, network) for one account on one client network (an IPv4 address or an IPv6
-- /64), ('', network) for a network across accounts, (account, '') for an account across
-- networks. `account` is the normalized e-mail, counted whether or not the account exists, so the
-- throttle does not tell which accounts do. Attempts are counted here before the password is
-- verified, under the row locks of all three keys.

DROP TABLE login_throttle;

CREATE TABLE sign_in_throttle (
  account text NOT NULL,
  network text NOT NULL,
  -- Attempts counted and not handed back by a right password, since the key was last forgotten.
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  last_failure_at timestamptz,
  -- No attempt on this key is let through before this.
  next_attempt_at timestamptz,
  -- The last right password from this network (account-and-network keys): a known network.
  last_success_at timestamptz,
  PRIMARY KEY (account, network),
  CHECK (account <> '' OR network <> '')
);

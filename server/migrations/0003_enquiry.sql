-- Enquiries from the site and their audit trail.

CREATE TABLE enquiries (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  phone text,
  message text NOT NULL,
  preferred_contact text CHECK (preferred_contact IN ('email', 'phone')),
  status text NOT NULL CHECK (status IN ('received', 'contacted', 'converted', 'closed')),
  duplicate_key text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX enquiries_newest ON enquiries (created_at DESC, id DESC);
CREATE INDEX enquiries_status_newest ON enquiries (status, created_at DESC, id DESC);
CREATE INDEX enquiries_duplicate ON enquiries (duplicate_key, created_at);

CREATE TABLE enquiry_audit (
  id uuid PRIMARY KEY,
  -- Insertion order: several changes can share one timestamp.
  position bigserial NOT NULL,
  enquiry_id uuid NOT NULL REFERENCES enquiries (id),
  actor_id uuid,
  actor_email text,
  from_status text,
  to_status text NOT NULL,
  reason text,
  at timestamptz NOT NULL
);
CREATE INDEX enquiry_audit_by_enquiry ON enquiry_audit (enquiry_id, position);

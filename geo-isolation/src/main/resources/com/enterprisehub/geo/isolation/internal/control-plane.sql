-- EnterpriseHub Geo isolation control plane (one per endpoint database). Idempotent.
-- Run by an administrator (superuser, or a role with CREATEROLE that owns the database).
-- Placeholders: {{app_role}} (quoted identifier of the application's login role; everything after the
-- "@app-role" marker is left out on a dedicated server, which has no shared application role).
--
-- Design (see docs/isolation.md): each session gets a random nonce chosen by the server
-- (geo_control.open_session), which only the caller learns; the table keeps only its SHA-256. The pool
-- binds a tenant with geo_control.bind(tenant, nonce, token), token = HMAC-SHA256(key, tenant || ':' ||
-- nonce), the key readable only by geo_owner. Policies read the tenant of this backend's row through the
-- view geo_control.bound_tenant. Rows outlive their sessions and PostgreSQL reuses pids, so a login event
-- trigger (PostgreSQL 17+) deletes the row of a new session's pid before the session can run anything:
-- no session ever sees a binding it did not make. The application role cannot read session_binding
-- itself, only its own row through the view.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geo_owner') THEN
    CREATE ROLE geo_owner NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;


-- Large objects are outside row-level security and, for BASIC tenants, all owned by the one application role:
-- any tenant could list, read, overwrite or unlink another's. Tenant sessions get none: the client-side
-- large-object functions are taken from PUBLIC (the superuser keeps them; GRANT them to roles that need them).
-- An administrator who may not change them (a managed server's) gets the self-check's finding instead.
DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
      WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname IN ('lo_open', 'lo_close', 'loread',
        'lowrite', 'lo_lseek', 'lo_lseek64', 'lo_creat', 'lo_create', 'lo_tell', 'lo_tell64', 'lo_truncate',
        'lo_truncate64', 'lo_unlink', 'lo_from_bytea', 'lo_get', 'lo_put', 'lo_import', 'lo_export') LOOP
    BEGIN
      EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'geo: cannot revoke % from PUBLIC; the self-check will report it', f;
    END;
  END LOOP;
END $$;

-- Every tenant of an endpoint logs in as the one application role, and PostgreSQL shows a role the SQL text of its
-- own sessions (pg_stat_activity: another tenant's statements and literals), lets it see every lock (pg_locks) and
-- lets it cancel or terminate its own sessions (another tenant's work). In this database these are taken from
-- PUBLIC; the installing administrator keeps them (the statement watchdog cancels with them), and monitoring keeps
-- them through pg_read_all_stats / pg_signal_backend (pg_monitor includes the first). Revoked per database: a role
-- that can reach another database of the server still sees them there (tenant sessions cannot open connections).
DO $$
DECLARE
  f regprocedure;
  v text;
BEGIN
  FOREACH v IN ARRAY ARRAY['pg_catalog.pg_stat_activity', 'pg_catalog.pg_locks'] LOOP
    BEGIN
      EXECUTE pg_catalog.format('REVOKE SELECT ON %s FROM PUBLIC', v);
      EXECUTE pg_catalog.format('GRANT SELECT ON %s TO pg_read_all_stats, %I', v, current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'geo: cannot revoke % from PUBLIC; the self-check will report it', v;
    END;
  END LOOP;
  FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
      WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname IN ('pg_stat_get_activity',
        'pg_stat_get_backend_activity', 'pg_lock_status', 'pg_blocking_pids', 'pg_cancel_backend',
        'pg_terminate_backend') LOOP
    BEGIN
      EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
      EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO %I, %s', f, current_user,
        CASE WHEN f::text LIKE 'pg_cancel_backend%' OR f::text LIKE 'pg_terminate_backend%'
          THEN 'pg_signal_backend' ELSE 'pg_read_all_stats' END);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'geo: cannot revoke % from PUBLIC; the self-check will report it', f;
    END;
  END LOOP;
END $$;

CREATE SCHEMA IF NOT EXISTS geo_control AUTHORIZATION geo_owner;
REVOKE ALL ON SCHEMA geo_control FROM PUBLIC;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA geo_control;

CREATE UNLOGGED TABLE IF NOT EXISTS geo_control.session_binding (
  pid        integer PRIMARY KEY,
  nonce_hash bytea   NOT NULL,
  tenant     text    CHECK (tenant <> ''),
  bound_at   timestamptz
);
ALTER TABLE geo_control.session_binding OWNER TO geo_owner;
REVOKE ALL ON geo_control.session_binding FROM PUBLIC;

-- The tenant bound to the current session. Owned by geo_owner, so the application role reads its own
-- binding without any right on the table.
CREATE OR REPLACE VIEW geo_control.bound_tenant AS
  SELECT b.tenant FROM geo_control.session_binding b WHERE b.pid = pg_backend_pid();
ALTER VIEW geo_control.bound_tenant OWNER TO geo_owner;

-- Every new session starts with no binding: the row a dead session with the same pid left is deleted
-- at login, before the new session can run a statement. Errors propagate (a login that cannot clear a
-- stale binding is refused), except a missing table, so dropping geo_control does not lock everyone out.
CREATE OR REPLACE FUNCTION geo_control.on_login() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  DELETE FROM geo_control.session_binding WHERE pid = pg_backend_pid();
EXCEPTION WHEN undefined_table THEN
  NULL;
END $$;
ALTER FUNCTION geo_control.on_login() OWNER TO geo_owner;
REVOKE ALL ON FUNCTION geo_control.on_login() FROM PUBLIC;
DROP EVENT TRIGGER IF EXISTS geo_session_reset;
CREATE EVENT TRIGGER geo_session_reset ON login EXECUTE FUNCTION geo_control.on_login();

-- Where each tenant is placed, and whether it is routable (READY) yet. Written by the administrator.
-- location: the tenant's schema (ENHANCED; also the name of its role) or database (MAXIMUM, REGULATORY).
CREATE TABLE IF NOT EXISTS geo_control.tenant_placement (
  tenant     text PRIMARY KEY,
  level      text NOT NULL,
  endpoint   text NOT NULL,
  state      text NOT NULL CHECK (state IN ('PROVISIONING', 'READY')),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE geo_control.tenant_placement ADD COLUMN IF NOT EXISTS location text;
ALTER TABLE geo_control.tenant_placement OWNER TO geo_owner;
REVOKE ALL ON geo_control.tenant_placement FROM PUBLIC;
-- MOVING: a move froze the tenant here (TenantDataSource.move): no session may bind it until the move switched
-- the placement (or gave up and set it READY again). Earlier versions allowed PROVISIONING and READY only.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'geo_control.tenant_placement'::regclass
      AND conname = 'tenant_placement_state_check' AND pg_get_constraintdef(oid) LIKE '%MOVING%') THEN
    ALTER TABLE geo_control.tenant_placement DROP CONSTRAINT IF EXISTS tenant_placement_state_check;
    ALTER TABLE geo_control.tenant_placement ADD CONSTRAINT tenant_placement_state_check
      CHECK (state IN ('PROVISIONING', 'READY', 'MOVING'));
  END IF;
END $$;

-- lease_until: while a move holds the tenant MOVING, until when its freeze holds (TenantDataSource.move renews it while it
-- runs). Past it, the mover is taken for dead: geo_control.bind_placement binds the tenant on its source again, and
-- the mover can neither renew it nor switch (a resumed or cancelled move cleans up). NULL with MOVING: a tombstone
-- (the tenant was moved to another endpoint), refused for good.
ALTER TABLE geo_control.tenant_placement ADD COLUMN IF NOT EXISTS lease_until timestamptz;

-- The journal of tenant moves (TenantDataSource.move): one row per tenant being moved, the step it finished;
-- a move that stopped resumes from it. Written by the administrator of the endpoint the tenant is moved from.
CREATE TABLE IF NOT EXISTS geo_control.tenant_move (
  tenant          text PRIMARY KEY,
  source_level    text NOT NULL,
  source_endpoint text NOT NULL,
  source_location text NOT NULL,
  target_level    text NOT NULL,
  target_endpoint text NOT NULL,
  target_location text NOT NULL,
  step            text NOT NULL,
  started_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE geo_control.tenant_move OWNER TO geo_owner;
REVOKE ALL ON geo_control.tenant_move FROM PUBLIC;

-- (Earlier versions looked the bound tenant's schema up through this view; geo_control.bind_placement does.)
DROP VIEW IF EXISTS geo_control.bound_schema;

CREATE TABLE IF NOT EXISTS geo_control.binding_key (
  id  integer PRIMARY KEY CHECK (id = 1),
  key bytea   NOT NULL CHECK (length(key) >= 32)
);
ALTER TABLE geo_control.binding_key OWNER TO geo_owner;
REVOKE ALL ON geo_control.binding_key FROM PUBLIC;

-- A new session's nonce, returned once. The first call in a session chooses a random nonce and stores
-- its hash for this pid. Later calls in the same session return NULL and change nothing, so SQL on a
-- borrowed connection can neither learn nor reset the nonce. (A row for this pid can only be this
-- session's: the login trigger removed any older one.)
CREATE OR REPLACE FUNCTION geo_control.open_session() RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n text;
BEGIN
  IF EXISTS (SELECT 1 FROM geo_control.session_binding WHERE pid = pg_backend_pid()) THEN
    RETURN NULL;
  END IF;
  n := encode(geo_control.gen_random_bytes(16), 'hex');
  INSERT INTO geo_control.session_binding (pid, nonce_hash, tenant, bound_at)
  VALUES (pg_backend_pid(), sha256(convert_to(n, 'UTF8')), NULL, NULL);
  RETURN n;
END $$;

-- Bind this session to a tenant, if the caller knows the session's nonce and the token proves it
-- holds the key; returns whether the tenant is an ENHANCED one and, if so, its schema (and role) and
-- placement state.
-- Two statements on the success path: the placement lock, then one that verifies, binds and looks up the placement
-- (each statement a PL/pgSQL function runs costs about as much as the checks themselves); the failure path finds out
-- why. The lock: a shared advisory lock on the tenant's placement, held to the end of the binding's transaction; a
-- move's fence and switch take it exclusively (TenantMover). So a binding that read the placement READY has
-- committed before the fence lists the tenant's sessions (and is ended with them), and a binding that waited for
-- the fence reads MOVING: no session binds the tenant unseen between the fence and the switch. An advisory lock,
-- not FOR SHARE on the placement row: a row lock writes the row and WAL on every binding, and a transaction that
-- wrote WAL waits for its flush at commit. The statement after the lock takes a new snapshot (PL/pgSQL, READ
-- COMMITTED), so it sees what the fence committed. The lock's key is a hash of the binding key and the tenant id:
-- advisory locks are open to every role, and a key anyone could compute would let one tenant take another's lock
-- and stall its every binding; the binding key is the administrator's alone (and pg_locks, which would show keys in
-- use, is taken from PUBLIC).
-- The key of a tenant's placement lock (bind_placement takes it shared, a move's fence and switch exclusively):
-- a hash of the binding key and the tenant id, so that no tenant session can compute another tenant's key (advisory
-- locks are open to every role). NULL when the control plane has no binding key. One definition for both sides.
-- The hash itself is the two-argument form, given the key: a SQL function of one expression, which the planner
-- inlines where a query calls it (bind_placement), so it costs no function call and no planning per binding. The
-- one-argument form (the mover's) reads the key: a SQL function that reads a table is not inlined, and PostgreSQL 17
-- plans it again on every call (about 65 us of a switch's server CPU when bind_placement called it; issue 19,
-- docs/benchmarks.md "Where the switch's time goes").
CREATE OR REPLACE FUNCTION geo_control.placement_lock_key(p_tenant text, p_key bytea) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.hashtextextended(pg_catalog.concat(pg_catalog.encode(p_key, 'hex'), ':placement:', p_tenant), 0)
$$;
ALTER FUNCTION geo_control.placement_lock_key(text, bytea) OWNER TO geo_owner;
REVOKE ALL ON FUNCTION geo_control.placement_lock_key(text, bytea) FROM PUBLIC;
CREATE OR REPLACE FUNCTION geo_control.placement_lock_key(p_tenant text) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT geo_control.placement_lock_key(p_tenant, k.key)
  FROM geo_control.binding_key k WHERE k.id OPERATOR(pg_catalog.=) 1
$$;
ALTER FUNCTION geo_control.placement_lock_key(text) OWNER TO geo_owner;
REVOKE ALL ON FUNCTION geo_control.placement_lock_key(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION geo_control.bind_placement(p_tenant text, p_nonce text, p_token text,
                                                      OUT enhanced boolean, OUT location text,
                                                      OUT state text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_level text;
  v_lease timestamptz;
BEGIN
  PERFORM pg_catalog.pg_advisory_xact_lock_shared(geo_control.placement_lock_key(p_tenant, k.key))
  FROM geo_control.binding_key k WHERE k.id = 1;
  UPDATE geo_control.session_binding b SET tenant = p_tenant, bound_at = clock_timestamp()
  FROM geo_control.binding_key k
  LEFT JOIN geo_control.tenant_placement p ON p.tenant = p_tenant
  WHERE b.pid = pg_backend_pid() AND k.id = 1
    AND b.nonce_hash = sha256(convert_to(p_nonce, 'UTF8'))
    AND p_token = encode(geo_control.hmac(convert_to(p_tenant || ':' || p_nonce, 'UTF8'), k.key, 'sha256'), 'hex')
  RETURNING coalesce(p.level = 'ENHANCED', false), p.location, p.state, p.level, p.lease_until
  INTO enhanced, location, state, v_level, v_lease;
  IF FOUND AND state = 'MOVING' AND v_lease <= clock_timestamp() THEN
    -- the move's lease ran out (its process died while the tenant was frozen): served on its source again; the
    -- move can no longer switch (its lease cannot be renewed once past)
    state := 'READY';
  END IF;
  IF FOUND AND (state = 'MOVING' OR v_level IN ('MAXIMUM', 'REGULATORY')) THEN
    -- frozen by a move, or moved to (or placed in) a database of its own: the shared pool must not serve it;
    -- the whole statement fails, so the binding above is undone. The caller re-reads the tenant's placement.
    RAISE EXCEPTION 'geo: tenant % is being moved or is no longer served by this pool; look its placement up again',
      p_tenant USING ERRCODE = '55000';
  END IF;
  IF NOT FOUND THEN
    IF p_nonce IS NULL OR NOT EXISTS (SELECT 1 FROM geo_control.session_binding b
        WHERE b.pid = pg_backend_pid() AND b.nonce_hash = sha256(convert_to(p_nonce, 'UTF8'))) THEN
      RAISE EXCEPTION 'geo: tenant binding refused (this session was not opened with that nonce)'
        USING ERRCODE = '28000';
    END IF;
    RAISE EXCEPTION 'geo: tenant binding refused (token does not verify)' USING ERRCODE = '28000';
  END IF;
END $$;

-- The same, for callers that need no placement.
CREATE OR REPLACE FUNCTION geo_control.bind(p_tenant text, p_nonce text, p_token text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM geo_control.bind_placement(p_tenant, p_nonce, p_token);
END $$;

-- A tenant switch in one call (one prepared statement, plans cached by PL/pgSQL): undo session
-- changes a previous borrower made, set the tenant's statement timeout, bind; for a tenant with its own
-- schema (ENHANCED), take its role and make its schema the search path. The schema and role come from the
-- placement of the tenant just verified by geo_control.bind_placement, not from the caller, and a tenant whose
-- provisioning has not finished is refused.
-- SECURITY INVOKER on purpose: RESET ROLE and SET ROLE are not allowed inside a SECURITY DEFINER
-- function, and the binding itself is still done, and verified, by geo_control.bind_placement.
CREATE OR REPLACE FUNCTION geo_control.switch_to(p_tenant text, p_nonce text, p_token text,
                                                 p_statement_timeout text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  s record;
  found text := '';
  has_cursors boolean;
  has_listen boolean;
  unused text;
BEGIN
  RESET ALL;
  -- RESET ALL leaves the role alone. RESET ROLE is a utility statement run through SPI; it changes something only
  -- when a role other than the login role is in effect, which current_user tells (a simple expression, no query).
  -- (A role taken with SET ROLE of the login role itself is the login role's rights: nothing to undo.)
  IF current_user OPERATOR(pg_catalog.<>) session_user THEN
    RESET ROLE;
  END IF;
  -- What DISCARD ALL would clear, except prepared statements: the previous borrower's cursors (a WITH HOLD cursor
  -- keeps its rows), LISTEN registrations, session advisory locks and lastval()/currval(). Statements prepared with
  -- SQL are the SDK's business: its SQL scanner flags PREPARE (and DO, CALL, EXECUTE), and a flagged session is
  -- switched with DEALLOCATE ALL, which pgjdbc notices; scanning pg_prepared_statements here cost 40 us to 2 ms per
  -- switch, growing with the driver's own cached statements, which it lists too.
  -- Temporary objects need TEMP, which the self-check requires the application role not to have.
  -- What is found is told to the SDK in one WARNING (it reports a security event naming the previous tenant);
  -- advisory locks are released without looking (pg_locks is a scan of the whole lock table).
  -- One query for the look, the release of advisory locks and the tenant's statement timeout: each statement a
  -- PL/pgSQL function runs through the executor costs on its own (the unnamed portal is the protocol's own: the
  -- statement running this function).
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_cursors c WHERE c.name <> ''),
         EXISTS (SELECT 1 FROM pg_catalog.pg_listening_channels()),
         pg_catalog.pg_advisory_unlock_all(),
         pg_catalog.set_config('statement_timeout', p_statement_timeout, false)
    INTO has_cursors, has_listen, unused, unused;
  IF has_cursors THEN
    found := found || ' open cursors,';
    EXECUTE 'CLOSE ALL';
  END IF;
  IF has_listen THEN
    found := found || ' LISTEN registrations,';
    UNLISTEN *;
  END IF;
  DISCARD SEQUENCES;
  IF found <> '' THEN
    RAISE WARNING 'geo-session-state:%', pg_catalog.rtrim(found, ',');
  END IF;
  s := geo_control.bind_placement(p_tenant, p_nonce, p_token);
  IF s.enhanced THEN
    IF s.state IS DISTINCT FROM 'READY' THEN
      -- the whole call fails, so the session keeps its previous state; the pool discards it
      RAISE EXCEPTION 'geo: tenant % is still being provisioned', p_tenant USING ERRCODE = '55000';
    END IF;
    -- set_config('role', ...) is SET ROLE (the same membership check); with the search path in one simple
    -- expression instead of a dynamic EXECUTE (parsed and planned every time) and a PERFORM
    unused := pg_catalog.set_config('role', s.location, false)
      OPERATOR(pg_catalog.||) pg_catalog.set_config('search_path', pg_catalog.quote_ident(s.location), false);
  END IF;
END $$;

-- Unbind (for administrators and tests; not granted to the application role, so SQL on a borrowed
-- connection cannot silently leave the next borrower of the same tenant with an empty binding).
CREATE OR REPLACE FUNCTION geo_control.unbind() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE geo_control.session_binding SET tenant = NULL, bound_at = NULL WHERE pid = pg_backend_pid();
END $$;

-- The bound tenant, for column defaults (a DEFAULT cannot hold a subquery). Policies use the
-- subquery directly so that it runs once per statement as an init plan.
CREATE OR REPLACE FUNCTION geo_control.current_tenant() RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (SELECT t.tenant FROM geo_control.bound_tenant t);
END $$;

ALTER FUNCTION geo_control.open_session() OWNER TO geo_owner;
ALTER FUNCTION geo_control.bind(text, text, text) OWNER TO geo_owner;
ALTER FUNCTION geo_control.bind_placement(text, text, text) OWNER TO geo_owner;
ALTER FUNCTION geo_control.unbind() OWNER TO geo_owner;
ALTER FUNCTION geo_control.switch_to(text, text, text, text) OWNER TO geo_owner;
ALTER FUNCTION geo_control.current_tenant() OWNER TO geo_owner;
REVOKE ALL ON FUNCTION geo_control.open_session(), geo_control.bind(text, text, text),
  geo_control.bind_placement(text, text, text), geo_control.unbind(),
  geo_control.switch_to(text, text, text, text), geo_control.current_tenant()
  FROM PUBLIC;

-- geo_tenant: what every ENHANCED tenant role inherits, so that a session that took a tenant's role can
-- still read its binding (policies) and switch again.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geo_tenant') THEN
    CREATE ROLE geo_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
GRANT USAGE ON SCHEMA geo_control TO geo_tenant;
GRANT SELECT ON geo_control.bound_tenant TO geo_tenant;
GRANT EXECUTE ON FUNCTION geo_control.open_session(), geo_control.bind(text, text, text),
  geo_control.bind_placement(text, text, text), geo_control.switch_to(text, text, text, text), geo_control.current_tenant()
  TO geo_tenant;

-- Per-tenant data keys for envelope encryption, wrapped by the key-management system. Administrator
-- only: erasing a tenant deletes its row, so ciphertext left in backups can no longer be decrypted.
CREATE TABLE IF NOT EXISTS geo_control.tenant_key (
  tenant        text PRIMARY KEY,
  master_key_id text NOT NULL,
  wrapped       bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE geo_control.tenant_key OWNER TO geo_owner;
REVOKE ALL ON geo_control.tenant_key FROM PUBLIC;

-- What the last start applied (docs/isolation.md, "An instance's start"): the SHA-256 of this script as it ran and an
-- MD5 of the control plane's catalog state it left, and per protected table the SHA-256 of its protection's statements and an MD5 of the catalog state they left. A start
-- that finds both unchanged applies nothing, so it locks neither the view every policy reads nor a shared table.
CREATE TABLE IF NOT EXISTS geo_control.installed (
  id            integer PRIMARY KEY CHECK (id = 1),
  script_sha256 text NOT NULL,
  state_md5     text NOT NULL
);
ALTER TABLE geo_control.installed OWNER TO geo_owner;
REVOKE ALL ON geo_control.installed FROM PUBLIC;
CREATE TABLE IF NOT EXISTS geo_control.protected_table (
  tbl        text PRIMARY KEY,
  ddl_sha256 text NOT NULL,
  state_md5  text NOT NULL
);
ALTER TABLE geo_control.protected_table OWNER TO geo_owner;
REVOKE ALL ON geo_control.protected_table FROM PUBLIC;

-- @app-role (the rest is skipped on a dedicated server, which has no shared application role)
GRANT USAGE ON SCHEMA geo_control TO {{app_role}};
REVOKE ALL ON geo_control.session_binding FROM {{app_role}};
GRANT SELECT ON geo_control.bound_tenant TO {{app_role}};
GRANT EXECUTE ON FUNCTION geo_control.open_session(), geo_control.bind(text, text, text),
  geo_control.bind_placement(text, text, text), geo_control.switch_to(text, text, text, text), geo_control.current_tenant()
  TO {{app_role}};

-- EnterpriseHub Geo control plane for BASIC (row-level security) isolation. Idempotent.
-- Run by an administrator (superuser, or a role with CREATEROLE that owns the database).
-- Placeholders: {{app_role}} (quoted identifier of the application's login role).
--
-- Design (see docs/isolation.md): each session gets a random nonce chosen by the server
-- (geo_control.open_session), which only the caller learns; the table keeps only its SHA-256. The
-- pool keeps the nonce in the session setting geo.nonce and binds a tenant with
-- geo_control.bind(tenant, nonce, token), token = HMAC-SHA256(key, tenant || ':' || nonce), the key
-- readable only by geo_owner. Policies compare the tenant column with the tenant of the row whose pid
-- is this backend's AND whose nonce hash matches this session's geo.nonce, evaluated once per
-- statement as an init plan. A session that reuses the pid of a dead one does not know its nonce and
-- sees nothing.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geo_owner') THEN
    CREATE ROLE geo_owner NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
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

CREATE TABLE IF NOT EXISTS geo_control.binding_key (
  id  integer PRIMARY KEY CHECK (id = 1),
  key bytea   NOT NULL CHECK (length(key) >= 32)
);
ALTER TABLE geo_control.binding_key OWNER TO geo_owner;
REVOKE ALL ON geo_control.binding_key FROM PUBLIC;

-- A new session's nonce, returned once. The first call in a session chooses a random nonce, stores its
-- hash and takes a session advisory lock (class 1195, this pid) marking the row as a live session's.
-- Later calls in the same live session return NULL and change nothing, so SQL on a borrowed connection
-- can neither learn nor reset the nonce. A row left by a dead backend with the same pid holds no lock
-- and is replaced.
CREATE OR REPLACE FUNCTION geo_control.open_session() RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid()
             AND l.classid = 1195 AND l.objid = pg_backend_pid() AND l.objsubid = 2 AND l.granted) THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_lock(1195, pg_backend_pid());
  n := encode(geo_control.gen_random_bytes(16), 'hex');
  INSERT INTO geo_control.session_binding AS b (pid, nonce_hash, tenant, bound_at)
  VALUES (pg_backend_pid(), sha256(convert_to(n, 'UTF8')), NULL, NULL)
  ON CONFLICT (pid) DO UPDATE SET nonce_hash = excluded.nonce_hash, tenant = NULL, bound_at = NULL;
  RETURN n;
END $$;

-- Bind this session to a tenant, if the caller knows the session's nonce and the token proves it
-- holds the key.
CREATE OR REPLACE FUNCTION geo_control.bind(p_tenant text, p_nonce text, p_token text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  h bytea;
  k bytea;
BEGIN
  SELECT nonce_hash INTO h FROM geo_control.session_binding WHERE pid = pg_backend_pid();
  IF h IS NULL OR p_nonce IS NULL OR sha256(convert_to(p_nonce, 'UTF8')) <> h THEN
    RAISE EXCEPTION 'geo: tenant binding refused (this session was not opened with that nonce)'
      USING ERRCODE = '28000';
  END IF;
  SELECT key INTO k FROM geo_control.binding_key WHERE id = 1;
  IF k IS NULL OR p_tenant IS NULL OR p_token IS NULL OR p_token <> encode(
      geo_control.hmac(convert_to(p_tenant || ':' || p_nonce, 'UTF8'), k, 'sha256'), 'hex') THEN
    RAISE EXCEPTION 'geo: tenant binding refused (token does not verify)' USING ERRCODE = '28000';
  END IF;
  UPDATE geo_control.session_binding SET tenant = p_tenant, bound_at = clock_timestamp()
  WHERE pid = pg_backend_pid();
END $$;

-- A tenant switch in one call (one prepared statement, plans cached by PL/pgSQL): undo session
-- changes a previous borrower made, set the tenant's statement timeout and the session's nonce, bind.
-- SECURITY INVOKER on purpose: RESET ROLE is not allowed inside a SECURITY DEFINER function, and the
-- binding itself is still done, and verified, by geo_control.bind.
CREATE OR REPLACE FUNCTION geo_control.switch_to(p_tenant text, p_nonce text, p_token text,
                                                 p_statement_timeout text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  RESET ALL;
  RESET ROLE;
  PERFORM pg_catalog.set_config('statement_timeout', p_statement_timeout, false);
  PERFORM pg_catalog.set_config('geo.nonce', p_nonce, false);
  PERFORM geo_control.bind(p_tenant, p_nonce, p_token);
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
  RETURN (SELECT b.tenant FROM geo_control.session_binding b WHERE b.pid = pg_backend_pid()
          AND b.nonce_hash = sha256(convert_to(current_setting('geo.nonce', true), 'UTF8')));
END $$;

ALTER FUNCTION geo_control.open_session() OWNER TO geo_owner;
ALTER FUNCTION geo_control.bind(text, text, text) OWNER TO geo_owner;
ALTER FUNCTION geo_control.unbind() OWNER TO geo_owner;
ALTER FUNCTION geo_control.switch_to(text, text, text, text) OWNER TO geo_owner;
ALTER FUNCTION geo_control.current_tenant() OWNER TO geo_owner;
REVOKE ALL ON FUNCTION geo_control.open_session(), geo_control.bind(text, text, text), geo_control.unbind(),
  geo_control.switch_to(text, text, text, text), geo_control.current_tenant() FROM PUBLIC;

GRANT USAGE ON SCHEMA geo_control TO {{app_role}};
GRANT SELECT ON geo_control.session_binding TO {{app_role}};
GRANT EXECUTE ON FUNCTION geo_control.open_session(), geo_control.bind(text, text, text),
  geo_control.switch_to(text, text, text, text), geo_control.current_tenant() TO {{app_role}};

-- Where each tenant is placed, and whether it is routable (READY) yet. Written by the administrator.
CREATE TABLE IF NOT EXISTS geo_control.tenant_placement (
  tenant     text PRIMARY KEY,
  level      text NOT NULL,
  endpoint   text NOT NULL,
  state      text NOT NULL CHECK (state IN ('PROVISIONING', 'READY')),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE geo_control.tenant_placement OWNER TO geo_owner;
REVOKE ALL ON geo_control.tenant_placement FROM PUBLIC;

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

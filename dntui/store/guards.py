"""The database's own rules: triggers (both engines) and, on PostgreSQL, the
SECURITY DEFINER functions that are the only path to a signed, voided or
amended visit, to an audit row and to a PIN.

SQLite has no roles, so its rule is a gate: triggers refuse a status change, an
audit/addendum/practitioner insert and any PIN write unless ``dntui_path()``
returns 1. dntui registers that function on its own connections and opens the
gate only inside the store's signing, voiding, addendum, PIN and audit code
(``audit.db_path``); in a SQL shell the function does not exist and the
statement fails. Someone who can write the file can still drop the triggers
(SQLite cannot stop the file's owner): ``check_sqlite_guards`` restores them at
every open and audits that, and ``dntui audit verify`` detects what was changed
meanwhile (content hashes, keyed chain, tail anchor).

The SQL here is the current definition; migration 0004 creates it, and a later
migration that changes a guard must keep a frozen copy of what it replaces.
"""

from __future__ import annotations

from sqlalchemy import Connection

LOCKED = "signed visit is locked: corrections are addenda"
PATH = "only the dntui signing path may do this"
_VISIT_FROZEN = (
    "id",
    "patient_id",
    "practitioner_id",
    "visit_date",
    "payer",
    "diagnosis_codes",
    "abn_on_file",
    "code",
    "muscle_count",
    "charge",
    "draft_json",
    "billing_json",
    "note_text",
    "version",
    "created_at",
    "updated_at",
    "signed_at",
    "signed_by",
)
#: Columns that only the signing/voiding path may change, on drafts too.
STATUS_COLUMNS = ("status", "signed_at", "signed_by", "void_reason", "voided_at", "voided_by")
_CHILDREN = ("visit_muscle", "screening_answer")
_APPEND_ONLY = ("audit", "addendum")
_GATE = "dntui_path() IS NOT 1"


def _raise(msg: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{msg}'); END"


#: Tables whose rows never change once written (a new row replaces them in meaning).
COVERAGE_TABLE = "coverage"


def coverage_sqlite_guards() -> dict[str, str]:
    """Schema 0005: coverage rows are append-only and never replaced."""
    g: dict[str, str] = {}
    for event in ("UPDATE", "DELETE"):
        name = f"coverage_append_only_{event.lower()}"
        g[name] = f"CREATE TRIGGER {name} BEFORE {event} ON coverage " + _raise(
            "coverage rows are append-only: record a new check instead"
        )
    g["coverage_insert_guard"] = (
        "CREATE TRIGGER coverage_insert_guard BEFORE INSERT ON coverage "
        "WHEN EXISTS (SELECT 1 FROM coverage WHERE id = NEW.id) "
        + _raise("coverage rows are never replaced")
    )
    return g


def sqlite_guards(revision: str = "head") -> dict[str, str]:
    """name -> CREATE TRIGGER statement, exactly as stored in sqlite_master.

    ``revision`` "0004": only the guards migration 0004 creates (its tables exist
    then); the default is every guard of the current schema."""
    g = _sqlite_guards_0004()
    if revision != "0004":
        g.update(coverage_sqlite_guards())
    return g


def _sqlite_guards_0004() -> dict[str, str]:
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _VISIT_FROZEN)
    moved = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in STATUS_COLUMNS)
    g: dict[str, str] = {
        "visit_locked": (
            "CREATE TRIGGER visit_locked BEFORE UPDATE ON visit "
            "WHEN OLD.status <> 'draft' AND NOT (OLD.status = 'signed' "
            f"AND NEW.status = 'entered-in-error' AND {same}) {_raise(LOCKED)}"
        ),
        "visit_no_delete": (
            "CREATE TRIGGER visit_no_delete BEFORE DELETE ON visit "
            + _raise("visits are never deleted: mark entered-in-error")
        ),
        "visit_status_path": (
            # (signed rows that visit_locked refuses anyway are left to its message)
            f"CREATE TRIGGER visit_status_path BEFORE UPDATE ON visit WHEN ({moved}) "
            "AND (OLD.status = 'draft' OR (OLD.status = 'signed' "
            f"AND NEW.status = 'entered-in-error' AND {same})) "
            f"AND {_GATE} {_raise('a visit is signed or voided only by dntui: ' + PATH)}"
        ),
        "visit_no_reassign": (
            "CREATE TRIGGER visit_no_reassign BEFORE UPDATE ON visit "
            "WHEN NEW.practitioner_id IS NOT OLD.practitioner_id "
            + _raise("a visit stays with the practitioner who opened it")
        ),
        "visit_insert_guard": (
            "CREATE TRIGGER visit_insert_guard BEFORE INSERT ON visit "
            "WHEN NEW.status <> 'draft' OR EXISTS (SELECT 1 FROM visit WHERE id = NEW.id) "
            + _raise("visits are inserted as drafts and never replaced")
        ),
        "addendum_insert_guard": (
            "CREATE TRIGGER addendum_insert_guard BEFORE INSERT ON addendum "
            "WHEN EXISTS (SELECT 1 FROM addendum WHERE id = NEW.id) "
            + _raise("addendum rows are append-only")
        ),
        "audit_insert_guard": (
            "CREATE TRIGGER audit_insert_guard BEFORE INSERT ON audit "
            "WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id OR seq = NEW.seq) "
            + _raise("audit rows are append-only")
        ),
        "patient_locked": (
            "CREATE TRIGGER patient_locked BEFORE UPDATE ON patient WHEN (NEW.id IS NOT OLD.id "
            "OR NEW.name IS NOT OLD.name OR NEW.name_key IS NOT OLD.name_key "
            "OR NEW.date_of_birth IS NOT OLD.date_of_birth OR NEW.chart_no IS NOT OLD.chart_no) "
            "AND EXISTS (SELECT 1 FROM visit WHERE patient_id = OLD.id AND status <> 'draft') "
            + _raise("the patient of a signed visit cannot be changed: add an addendum")
        ),
        "patient_insert_guard": (
            "CREATE TRIGGER patient_insert_guard BEFORE INSERT ON patient "
            "WHEN EXISTS (SELECT 1 FROM patient WHERE id = NEW.id OR chart_no = NEW.chart_no) "
            + _raise("patients are never replaced")
        ),
        "patient_no_delete": (
            "CREATE TRIGGER patient_no_delete BEFORE DELETE ON patient "
            + _raise("patients are never deleted")
        ),
        "practitioner_no_delete": (
            "CREATE TRIGGER practitioner_no_delete BEFORE DELETE ON practitioner "
            + _raise("practitioners are never deleted: mark them inactive")
        ),
    }
    for table in _CHILDREN:
        for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            name = f"{table}_locked_{event.lower()}"
            g[name] = (
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                f"WHEN (SELECT status FROM visit WHERE id = {row}.visit_id) <> 'draft' "
                + _raise(LOCKED)
            )
    for table in _APPEND_ONLY:
        for event in ("UPDATE", "DELETE"):
            name = f"{table}_append_only_{event.lower()}"
            g[name] = f"CREATE TRIGGER {name} BEFORE {event} ON {table} " + _raise(
                f"{table} rows are append-only"
            )
    # Writes only dntui's own code makes (the gate).
    for table, events in (
        ("audit", ("INSERT",)),
        ("addendum", ("INSERT",)),
        ("practitioner", ("INSERT", "UPDATE")),
        ("practitioner_secret", ("INSERT", "UPDATE", "DELETE")),
        ("dntui_meta", ("INSERT",)),
        ("audit_anchor", ("INSERT", "UPDATE", "DELETE")),
    ):
        for event in events:
            name = f"{table}_path_{event.lower()}"
            g[name] = f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {_GATE} " + _raise(
                f"{table}: {PATH}"
            )
    for event in ("UPDATE", "DELETE"):
        name = f"dntui_meta_fixed_{event.lower()}"
        g[name] = f"CREATE TRIGGER {name} BEFORE {event} ON dntui_meta " + _raise(
            "dntui_meta rows never change"
        )
    return g


def check_sqlite_guards(conn: Connection) -> list[str]:
    """Restore every missing or altered guard trigger; returns their names."""
    want = sqlite_guards()
    have = {
        r[0]: r[1]
        for r in conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    restored = []
    for name, sql in want.items():
        if have.get(name) == sql:
            continue
        if name in have:
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        conn.exec_driver_sql(sql)
        restored.append(name)
    return restored


# ------------------------------------------------------------------ PostgreSQL
#: Triggers that must exist on PostgreSQL (checked by ``dntui audit verify``).
PG_TRIGGERS = (
    "visit_locked",
    "visit_insert_guard",
    "visit_muscle_locked",
    "screening_answer_locked",
    "audit_append_only",
    "addendum_append_only",
    "audit_insert_guard",
    "patient_guard",
    "practitioner_no_delete",
    *(
        f"{t}_no_truncate"
        for t in ("audit", "addendum", "visit", "visit_muscle", "screening_answer")
    ),
    *(f"{t}_no_truncate" for t in ("patient", "practitioner", "practitioner_secret")),
    "coverage_append_only",  # 0005
    "coverage_no_truncate",
)

#: (table, privilege) no role but the owner may hold; checked by verify.
PG_FORBIDDEN = (
    *((t, p) for t in ("audit", "addendum", "audit_anchor", "dntui_meta") for p in ("INSERT", "UPDATE", "DELETE", "TRUNCATE")),
    *(("practitioner_secret", p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")),
    *(("dntui_secret", p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")),
    *(("practitioner", p) for p in ("INSERT", "UPDATE", "DELETE", "TRUNCATE")),
    *(("visit", p) for p in ("DELETE", "TRUNCATE")),
    *(("patient", p) for p in ("DELETE", "TRUNCATE")),
    *(("coverage", p) for p in ("UPDATE", "DELETE", "TRUNCATE")),
)  # fmt: skip
#: visit columns no role but the owner may UPDATE.
PG_FORBIDDEN_VISIT_COLUMNS = (
    *STATUS_COLUMNS,
    "practitioner_id",
    "note_text",
    "charge",
    "code",
    "billing_json",
    "muscle_count",
)
#: Functions only the owner may execute.
PG_OWNER_ONLY = ("dntui__append(text,integer,text,integer,text)", "dntui_reanchor()")


#: The lockout the database enforces on PostgreSQL (``dntui_pin_check``): the same as
#: ``repo.PIN_LOCKOUT_FAILURES`` and ``repo.PIN_LOCKOUT``. A caller may ask for a
#: stricter one, never a looser one.
PIN_MAX_FAILURES = 5
PIN_LOCK_SECONDS = 300


def _definer(schema: str) -> str:
    return f"SECURITY DEFINER SET search_path = {schema}, pg_temp"


def audit_append_sql(schema: str) -> str:
    """The public entry for ordinary events; the reserved ones have their own path.

    Since schema 0006 a practitioner's row carries the name of the practitioner it
    names by id (it wrote the name it was given: 'Sam Okafor' under Dana's id)."""
    return f"""
CREATE OR REPLACE FUNCTION dntui_audit_append(p_action text, p_actor_id integer, p_actor text,
  p_visit_id integer, p_detail text) RETURNS integer LANGUAGE plpgsql {_definer(schema)} AS $$
DECLARE who text := p_actor;
BEGIN
  IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class
                                    WHERE oid = '{schema}.visit'::regclass), 'MEMBER') THEN
    IF p_action LIKE 'pin.%' OR p_action LIKE 'practitioner.%' OR p_action LIKE 'db.%'
       OR p_action IN ('visit.sign', 'visit.void', 'visit.addendum') THEN
      RAISE EXCEPTION 'audit action % is written only by its own dntui path', p_action;
    END IF;
    IF p_actor_id IS NOT NULL AND NOT dntui_acts_as(p_actor_id) THEN
      RAISE EXCEPTION 'this database role does not act as practitioner %', p_actor_id;
    END IF;
    who := COALESCE((SELECT name FROM practitioner WHERE id = p_actor_id), '');
  END IF;
  RETURN dntui__append(p_action, p_actor_id, who, p_visit_id, p_detail);
END $$"""


def pin_check_sql(schema: str) -> str:
    """One attempt, counted under the row lock: 8 processes x 5 tries check 5 PINs.

    Since schema 0006 the limit and the lock time are at least as strict as
    ``PIN_MAX_FAILURES`` and ``PIN_LOCK_SECONDS`` whatever a practitioner passes (one
    calling it with a limit of a million guessed without a lockout); only the schema
    owner's own calls may set them freely."""
    return f"""
CREATE OR REPLACE FUNCTION dntui_pin_check(p_pid integer, p_digest text, p_visit_id integer,
  p_max integer, p_lock_seconds integer) RETURNS text LANGUAGE plpgsql {_definer(schema)} AS $$
DECLARE s practitioner_secret%ROWTYPE; ok boolean; who text;
  lim integer := LEAST(GREATEST(COALESCE(p_max, 1), 1), {PIN_MAX_FAILURES});
  secs integer := GREATEST(COALESCE(p_lock_seconds, 0), {PIN_LOCK_SECONDS});
BEGIN
  IF pg_has_role(session_user, (SELECT relowner FROM pg_class
                                WHERE oid = '{schema}.visit'::regclass), 'MEMBER') THEN
    lim := GREATEST(COALESCE(p_max, 1), 1);  -- the owner (and the tests) may set its own
    secs := GREATEST(COALESCE(p_lock_seconds, 0), 0);
  END IF;
  SELECT * INTO s FROM practitioner_secret WHERE practitioner_id = p_pid FOR UPDATE;
  SELECT name INTO who FROM practitioner WHERE id = p_pid;
  IF s.locked_until IS NOT NULL AND s.locked_until > now() THEN
    RETURN 'locked ' || to_char(s.locked_until AT TIME ZONE 'UTC',
                                'YYYY-MM-DD"T"HH24:MI:SS"+00:00"');
  END IF;
  ok := s.pin_hash IS NOT NULL AND s.pin_hash <> ''
        AND split_part(s.pin_hash, '$', 6) = p_digest;
  IF ok THEN
    UPDATE practitioner_secret SET failures = 0, locked_until = NULL
    WHERE practitioner_id = p_pid;
  ELSE
    UPDATE practitioner_secret SET failures = CASE WHEN failures + 1 >= lim THEN 0
                                                  ELSE failures + 1 END,
      locked_until = CASE WHEN failures + 1 >= lim
                          THEN now() + make_interval(secs => secs) END
    WHERE practitioner_id = p_pid;
  END IF;
  PERFORM dntui__append(CASE WHEN ok THEN 'pin.ok' ELSE 'pin.fail' END, p_pid, who,
                        p_visit_id, '');
  RETURN CASE WHEN ok THEN 'ok' ELSE 'fail' END;
END $$"""


def addendum_sql(schema: str) -> str:
    """An addendum and its audit row. Since schema 0006 the audit detail holds the row's
    id and a digest of what it says (``audit.addendum_detail``): before, only its kind,
    so its text could be rewritten behind the triggers unseen."""
    return f"""
CREATE OR REPLACE FUNCTION dntui_addendum(p_visit_id integer, p_author_id integer,
  p_kind text, p_reason text, p_text text) RETURNS integer LANGUAGE plpgsql {_definer(schema)} AS $$
DECLARE v visit%ROWTYPE; author practitioner%ROWTYPE; new_id integer; digest text;
BEGIN
  SELECT * INTO v FROM visit WHERE id = p_visit_id;
  IF NOT FOUND THEN RAISE EXCEPTION 'dntui: no visit %', p_visit_id; END IF;
  IF v.status = 'draft' THEN RAISE EXCEPTION 'dntui: this visit is still a draft'; END IF;
  IF NOT dntui_acts_as(p_author_id) THEN
    RAISE EXCEPTION 'dntui: this database role does not act as practitioner %', p_author_id;
  END IF;
  SELECT * INTO author FROM practitioner WHERE id = p_author_id;
  INSERT INTO addendum (visit_id, author_id, created_at, kind, reason, text)
  VALUES (p_visit_id, p_author_id, now(), p_kind, p_reason, p_text) RETURNING id INTO new_id;
  digest := encode(sha256(convert_to(concat_ws('|', new_id, p_visit_id, p_author_id,
      encode(sha256(convert_to(p_kind, 'UTF8')), 'hex'),
      encode(sha256(convert_to(p_reason, 'UTF8')), 'hex'),
      encode(sha256(convert_to(p_text, 'UTF8')), 'hex')), 'UTF8')), 'hex');
  PERFORM dntui__append('visit.addendum', p_author_id, author.name, p_visit_id,
                        p_kind || ' addendum ' || new_id || ' sha256 ' || digest);
  RETURN new_id;
END $$"""


def pin_and_actor_0006_sql(schema: str) -> list[str]:
    """Schema 0006 on PostgreSQL: the three functions above, replaced."""
    return [audit_append_sql(schema), pin_check_sql(schema), addendum_sql(schema)]


def postgres_sql(schema: str) -> list[str]:
    """Functions, triggers and revokes for PostgreSQL (``schema`` pins search_path)."""
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    frozen = ", ".join(f"'{c}'" for c in ("status", "void_reason", "voided_at", "voided_by"))
    moved = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in STATUS_COLUMNS)
    out = [
        # Is the *current* role the schema owner (true inside SECURITY DEFINER functions)?
        f"""
CREATE OR REPLACE FUNCTION dntui_is_owner() RETURNS boolean LANGUAGE sql STABLE
SET search_path = {schema}, pg_temp AS $$
  SELECT pg_has_role(current_user, c.relowner, 'MEMBER')
  FROM pg_class c WHERE c.oid = '{schema}.visit'::regclass
$$""",
        # Does the *logged-in* role act as practitioner pid (bound to it, or the owner)?
        f"""
CREATE OR REPLACE FUNCTION dntui_acts_as(pid integer) RETURNS boolean LANGUAGE sql STABLE
SET search_path = {schema}, pg_temp AS $$
  SELECT pg_has_role(session_user, c.relowner, 'MEMBER')
      OR EXISTS (SELECT 1 FROM {schema}.practitioner p
                 WHERE p.id = pid AND p.db_role = session_user::text)
  FROM pg_class c WHERE c.oid = '{schema}.visit'::regclass
$$""",
        """
CREATE OR REPLACE FUNCTION dntui_hmac(k bytea, m bytea) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  kp bytea := k || decode(repeat('00', 64 - length(k)), 'hex');
  i bytea := kp;
  o bytea := kp;
BEGIN
  FOR n IN 0..63 LOOP
    i := set_byte(i, n, get_byte(kp, n) # 54);
    o := set_byte(o, n, get_byte(kp, n) # 92);
  END LOOP;
  RETURN encode(sha256(o || sha256(i || m)), 'hex');
END $$""",
        """
CREATE OR REPLACE FUNCTION dntui_audit_payload(
  seq integer, at timestamptz, actor_id integer, actor text, action text,
  visit_id integer, detail text, prev_hash text) RETURNS bytea
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT convert_to('[' || seq || ','
    || to_json(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text || ','
    || coalesce(actor_id::text, 'null') || ',' || to_json(actor)::text || ','
    || to_json(action)::text || ',' || coalesce(visit_id::text, 'null') || ','
    || to_json(detail)::text || ',' || to_json(prev_hash)::text || ']', 'UTF8')
$$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_key_id() RETURNS text LANGUAGE sql STABLE {definer} AS $$
  SELECT left(dntui_hmac(value, convert_to('dntui audit key id', 'UTF8')), 16)
  FROM dntui_secret WHERE name = 'audit_key'
$$""",
        f"""
CREATE OR REPLACE FUNCTION dntui__append(p_action text, p_actor_id integer, p_actor text,
  p_visit_id integer, p_detail text) RETURNS integer LANGUAGE plpgsql {definer} AS $$
DECLARE
  k bytea;
  kid text;
  last_seq integer;
  prev text;
  ts timestamptz := clock_timestamp();
  h text;
BEGIN
  PERFORM pg_advisory_xact_lock({_PG_AUDIT_LOCK});
  SELECT value INTO k FROM dntui_secret WHERE name = 'audit_key';
  kid := left(dntui_hmac(k, convert_to('dntui audit key id', 'UTF8')), 16);
  SELECT a.seq, a.hash INTO last_seq, prev FROM audit a ORDER BY a.seq DESC LIMIT 1;
  last_seq := coalesce(last_seq, 0) + 1;
  prev := coalesce(prev, repeat('0', 64));
  ts := date_trunc('microseconds', ts);
  h := dntui_hmac(k, dntui_audit_payload(last_seq, ts, p_actor_id, coalesce(p_actor, ''),
         p_action, p_visit_id, coalesce(p_detail, ''), prev));
  INSERT INTO audit (seq, at, actor_id, actor, action, visit_id, detail, prev_hash, hash, key_id)
  VALUES (last_seq, ts, p_actor_id, coalesce(p_actor, ''), p_action, p_visit_id,
          coalesce(p_detail, ''), prev, h, kid);
  UPDATE audit_anchor SET seq = last_seq, hash = h,
    mac = dntui_hmac(k, convert_to('anchor|' || last_seq || '|' || h, 'UTF8')) WHERE id = 1;
  RETURN last_seq;
END $$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_reanchor() RETURNS void LANGUAGE plpgsql {definer} AS $$
DECLARE k bytea; s integer; h text;
BEGIN
  SELECT value INTO k FROM dntui_secret WHERE name = 'audit_key';
  SELECT a.seq, a.hash INTO s, h FROM audit a ORDER BY a.seq DESC LIMIT 1;
  s := coalesce(s, 0);
  h := coalesce(h, repeat('0', 64));
  INSERT INTO audit_anchor (id, seq, hash, mac) VALUES (1, s, h,
    dntui_hmac(k, convert_to('anchor|' || s || '|' || h, 'UTF8')))
  ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, mac = EXCLUDED.mac;
END $$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_anchor_ok() RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
  SELECT a.mac = dntui_hmac(s.value, convert_to('anchor|' || a.seq || '|' || a.hash, 'UTF8'))
  FROM audit_anchor a, dntui_secret s WHERE a.id = 1 AND s.name = 'audit_key'
$$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_audit_expected(lo integer, hi integer)
RETURNS TABLE(seq integer, expected text) LANGUAGE sql STABLE {definer} AS $$
  SELECT a.seq, CASE WHEN a.key_id = dntui_key_id() THEN dntui_hmac(s.value,
      dntui_audit_payload(a.seq, a.at, a.actor_id, a.actor, a.action, a.visit_id,
                          a.detail, a.prev_hash)) END
  FROM audit a, dntui_secret s
  WHERE s.name = 'audit_key' AND a.seq BETWEEN lo AND hi
$$""",
        # The public entry for ordinary events; the reserved ones have their own path.
        audit_append_sql(schema),
        f"""
CREATE OR REPLACE FUNCTION dntui_sign(p_visit_id integer, p_signer_id integer,
  p_version integer, p_code text, p_muscle_count integer, p_charge text,
  p_billing_json text, p_note_text text, p_draft_json text, p_patient_id integer,
  p_visit_date date, p_payer text, p_diagnosis_codes text, p_abn_on_file boolean)
RETURNS text LANGUAGE plpgsql {definer} AS $$
DECLARE v visit%ROWTYPE; signer practitioner%ROWTYPE; h text;
BEGIN
  SELECT * INTO v FROM visit WHERE id = p_visit_id FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'dntui: no visit %', p_visit_id; END IF;
  IF v.practitioner_id <> p_signer_id THEN
    RAISE EXCEPTION 'dntui: only the visit''s own practitioner can sign it';
  END IF;
  IF NOT dntui_acts_as(p_signer_id) THEN
    RAISE EXCEPTION 'dntui: this database role does not act as practitioner %', p_signer_id;
  END IF;
  IF v.status <> 'draft' THEN RAISE EXCEPTION 'dntui: visit % is already %', v.id, v.status; END IF;
  IF v.version <> p_version THEN
    RAISE EXCEPTION 'dntui: visit % was changed elsewhere: reopen it before signing', v.id;
  END IF;
  SELECT * INTO signer FROM practitioner WHERE id = p_signer_id;
  UPDATE visit SET status = 'signed', signed_at = now(), signed_by = p_signer_id,
    updated_at = now(), code = p_code, muscle_count = p_muscle_count, charge = p_charge,
    billing_json = p_billing_json, note_text = p_note_text, draft_json = p_draft_json,
    patient_id = p_patient_id, visit_date = p_visit_date, payer = p_payer,
    diagnosis_codes = p_diagnosis_codes, abn_on_file = p_abn_on_file
  WHERE id = p_visit_id;
  h := encode(sha256(convert_to('[' || to_json(p_draft_json)::text || ', '
        || to_json(p_billing_json)::text || ', ' || to_json(p_note_text)::text || ']',
        'UTF8')), 'hex');
  PERFORM dntui__append('visit.sign', p_signer_id, signer.name, p_visit_id,
    'code=' || coalesce(nullif(p_code, ''), 'none') || ' muscles=' || p_muscle_count
    || ' content=' || h);
  RETURN h;
END $$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_void(p_visit_id integer, p_actor_id integer, p_reason text)
RETURNS void LANGUAGE plpgsql {definer} AS $$
DECLARE v visit%ROWTYPE; actor practitioner%ROWTYPE;
BEGIN
  SELECT * INTO v FROM visit WHERE id = p_visit_id FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'dntui: no visit %', p_visit_id; END IF;
  IF v.status = 'entered-in-error' THEN
    RAISE EXCEPTION 'dntui: visit % is already entered in error', p_visit_id;
  END IF;
  IF coalesce(trim(p_reason), '') = '' THEN RAISE EXCEPTION 'dntui: say why'; END IF;
  IF NOT dntui_acts_as(p_actor_id) OR (v.practitioner_id <> p_actor_id
      AND NOT pg_has_role(session_user, (SELECT relowner FROM pg_class
                                         WHERE oid = '{schema}.visit'::regclass), 'MEMBER'))
  THEN
    RAISE EXCEPTION 'dntui: only the visit''s own practitioner can mark it entered in error';
  END IF;
  SELECT * INTO actor FROM practitioner WHERE id = p_actor_id;
  UPDATE visit SET status = 'entered-in-error', void_reason = trim(p_reason),
    voided_at = now(), voided_by = p_actor_id WHERE id = p_visit_id;
  PERFORM dntui__append('visit.void', p_actor_id, actor.name, p_visit_id, '');
END $$""",
        addendum_sql(schema),
        f"""
CREATE OR REPLACE FUNCTION dntui_add_practitioner(p_name text, p_credentials text,
  p_licence_no text, p_licence_state text, p_hours integer, p_cert_date date,
  p_acupuncture boolean, p_acupuncture_degree boolean, p_pin_hash text) RETURNS integer LANGUAGE plpgsql {definer} AS $$
DECLARE new_id integer; is_owner boolean;
BEGIN
  is_owner := pg_has_role(session_user, (SELECT relowner FROM pg_class
                                         WHERE oid = '{schema}.visit'::regclass), 'MEMBER');
  IF NOT is_owner AND EXISTS (SELECT 1 FROM practitioner
                              WHERE db_role = session_user::text AND active) THEN
    RAISE EXCEPTION 'dntui: this database role already has a practitioner profile';
  END IF;
  INSERT INTO practitioner (name, credentials, licence_no, licence_state, dn_cert_hours,
    dn_cert_date, acupuncture_licensed, acupuncture_degree, active, created_at, db_role)
  VALUES (p_name, p_credentials, p_licence_no, p_licence_state, p_hours, p_cert_date,
    p_acupuncture, p_acupuncture_degree, true, now(), session_user::text) RETURNING id INTO new_id;
  INSERT INTO practitioner_secret (practitioner_id, pin_hash, failures)
  VALUES (new_id, coalesce(p_pin_hash, ''), 0);
  PERFORM dntui__append('practitioner.create', new_id, p_name, NULL, p_credentials);
  RETURN new_id;
END $$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_pin_set(p_pid integer, p_pin_hash text)
RETURNS void LANGUAGE plpgsql {definer} AS $$
BEGIN
  IF NOT dntui_acts_as(p_pid) THEN
    RAISE EXCEPTION 'dntui: this database role does not act as practitioner %', p_pid;
  END IF;
  INSERT INTO practitioner_secret (practitioner_id, pin_hash, failures)
  VALUES (p_pid, p_pin_hash, 0)
  ON CONFLICT (practitioner_id) DO UPDATE SET pin_hash = EXCLUDED.pin_hash, failures = 0,
    locked_until = NULL;
  PERFORM dntui__append('practitioner.pin-set', p_pid,
    (SELECT name FROM practitioner WHERE id = p_pid), NULL, '');
END $$""",
        # The salt and cost, never the digest: the app hashes the typed PIN with them.
        f"""
CREATE OR REPLACE FUNCTION dntui_pin_params(p_pid integer) RETURNS text
LANGUAGE sql STABLE {definer} AS $$
  SELECT coalesce((SELECT CASE WHEN pin_hash = '' THEN ''
    ELSE regexp_replace(pin_hash, '\\$[^$]*$', '') END
    FROM practitioner_secret WHERE practitioner_id = p_pid), '')
$$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_pin_locked_until(p_pid integer) RETURNS timestamptz
LANGUAGE sql STABLE {definer} AS $$
  SELECT CASE WHEN locked_until > now() THEN locked_until END
  FROM practitioner_secret WHERE practitioner_id = p_pid
$$""",
        # One attempt, counted under the row lock: 8 processes x 5 tries check 5 PINs.
        pin_check_sql(schema),
        # ---- triggers
        f"""
CREATE OR REPLACE FUNCTION dntui_visit_guard() RETURNS trigger LANGUAGE plpgsql
SET search_path = {schema}, pg_temp AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'visits are never deleted: mark entered-in-error';
  END IF;
  IF OLD.status <> 'draft' AND NOT (OLD.status = 'signed'
      AND NEW.status = 'entered-in-error'
      AND (to_jsonb(NEW) - ARRAY[{frozen}]) = (to_jsonb(OLD) - ARRAY[{frozen}])) THEN
    RAISE EXCEPTION '{LOCKED}';
  END IF;
  IF NEW.practitioner_id IS DISTINCT FROM OLD.practitioner_id THEN
    RAISE EXCEPTION 'a visit stays with the practitioner who opened it';
  END IF;
  IF NOT dntui_is_owner() THEN
    IF {moved} THEN
      RAISE EXCEPTION 'a visit is signed or voided only by dntui: {PATH}';
    END IF;
    IF NOT dntui_acts_as(OLD.practitioner_id) THEN
      RAISE EXCEPTION 'this draft belongs to another practitioner';
    END IF;
  END IF;
  RETURN NEW;
END $$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_visit_insert_guard() RETURNS trigger LANGUAGE plpgsql
SET search_path = {schema}, pg_temp AS $$
BEGIN
  IF NEW.status <> 'draft' OR NEW.signed_at IS NOT NULL OR NEW.signed_by IS NOT NULL THEN
    IF NOT dntui_is_owner() OR NEW.status <> 'draft' THEN
      RAISE EXCEPTION 'visits are inserted as drafts and never replaced';
    END IF;
  END IF;
  IF NOT dntui_is_owner() AND NOT dntui_acts_as(NEW.practitioner_id) THEN
    RAISE EXCEPTION 'this database role does not act as practitioner %', NEW.practitioner_id;
  END IF;
  RETURN NEW;
END $$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_child_guard() RETURNS trigger LANGUAGE plpgsql
SET search_path = {schema}, pg_temp AS $$
DECLARE vid integer; st text; pid integer;
BEGIN
  IF TG_OP = 'INSERT' THEN vid := NEW.visit_id; ELSE vid := OLD.visit_id; END IF;
  SELECT status, practitioner_id INTO st, pid FROM visit WHERE id = vid;
  IF st <> 'draft' THEN
    RAISE EXCEPTION '{LOCKED}';
  END IF;
  IF NOT dntui_is_owner() AND NOT dntui_acts_as(pid) THEN
    RAISE EXCEPTION 'this draft belongs to another practitioner';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_patient_guard() RETURNS trigger LANGUAGE plpgsql
SET search_path = {schema}, pg_temp AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'patients are never deleted'; END IF;
  IF (NEW.id, NEW.name, NEW.name_key, NEW.date_of_birth, NEW.chart_no)
     IS DISTINCT FROM (OLD.id, OLD.name, OLD.name_key, OLD.date_of_birth, OLD.chart_no)
     AND EXISTS (SELECT 1 FROM visit WHERE patient_id = OLD.id AND status <> 'draft') THEN
    RAISE EXCEPTION 'the patient of a signed visit cannot be changed: add an addendum';
  END IF;
  RETURN NEW;
END $$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_owner_only() RETURNS trigger LANGUAGE plpgsql
SET search_path = {schema}, pg_temp AS $$
BEGIN
  IF NOT dntui_is_owner() THEN
    RAISE EXCEPTION '% rows are written only by dntui''s own functions', TG_TABLE_NAME;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
        f"""
CREATE OR REPLACE FUNCTION dntui_no_delete() RETURNS trigger LANGUAGE plpgsql
SET search_path = {schema}, pg_temp AS $$
BEGIN
  RAISE EXCEPTION '% rows are never deleted', TG_TABLE_NAME;
END $$""",
        "DROP TRIGGER IF EXISTS audit_insert_guard ON audit",
        "CREATE TRIGGER audit_insert_guard BEFORE INSERT ON audit "
        "FOR EACH ROW EXECUTE FUNCTION dntui_owner_only()",
        "DROP TRIGGER IF EXISTS patient_guard ON patient",
        "CREATE TRIGGER patient_guard BEFORE UPDATE OR DELETE ON patient "
        "FOR EACH ROW EXECUTE FUNCTION dntui_patient_guard()",
        "DROP TRIGGER IF EXISTS practitioner_no_delete ON practitioner",
        "CREATE TRIGGER practitioner_no_delete BEFORE DELETE ON practitioner "
        "FOR EACH ROW EXECUTE FUNCTION dntui_no_delete()",
    ]
    for table in ("patient", "practitioner", "practitioner_secret"):
        out += [
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION dntui_append_only()",
        ]
    # Functions are executable by PUBLIC by default: the internals are not.
    for fn in PG_OWNER_ONLY:
        out.append(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for table in ("practitioner_secret", "dntui_secret"):
        out.append(f"REVOKE ALL ON {table} FROM PUBLIC")
    return out


def coverage_postgres_sql() -> list[str]:
    """Schema 0005 on PostgreSQL: coverage rows are append-only (``dntui_append_only``
    comes from 0001)."""
    return [
        "DROP TRIGGER IF EXISTS coverage_append_only ON coverage",
        "CREATE TRIGGER coverage_append_only BEFORE UPDATE OR DELETE ON coverage "
        "FOR EACH ROW EXECUTE FUNCTION dntui_append_only()",
        "DROP TRIGGER IF EXISTS coverage_no_truncate ON coverage",
        "CREATE TRIGGER coverage_no_truncate BEFORE TRUNCATE ON coverage "
        "FOR EACH STATEMENT EXECUTE FUNCTION dntui_append_only()",
    ]


_PG_AUDIT_LOCK = 0x61_75_64_69_74  # "audit", the same lock the app used before 0004

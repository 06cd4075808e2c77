"""Races, kills and lock contention: several processes, long transactions, SIGKILL."""

from __future__ import annotations

import signal
import threading
import time

import psycopg
from engine_helpers import Cli, query, table_exists


def wait_for(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def test_racing_processes_apply_each_migration_once(cli: Cli, db_conn) -> None:
    for n in range(1, 6):
        cli.write(f"000{n}_t{n}.sql", f"CREATE TABLE t{n} (id int); SELECT pg_sleep(0.1);")
    procs = [cli.spawn("up") for _ in range(4)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    applied = query(
        db_conn,
        "SELECT count(*) FROM slipway_migrations_log WHERE action = 'up' AND outcome = 'success'",
    )
    assert applied[0][0] == 5
    nothing = sum("Nothing to do" in out for out, _ in outputs)
    assert nothing >= 1


def test_lock_waiter_does_not_deadlock_create_index_concurrently(cli: Cli, db_conn) -> None:
    cli.write("0001_t.sql", "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 20000) g;")
    assert cli("up").code == 0
    # The first run is slow on purpose, then builds an index concurrently while the second
    # run is waiting for the migration lock.
    cli.write("0002_slow.sql", "SELECT pg_sleep(1.5);")
    cli.write("0003_idx.sql", "CREATE INDEX CONCURRENTLY t_id_idx ON t (id);")
    first = cli.spawn("up")
    wait_for(
        lambda: bool(
            query(
                db_conn,
                "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(1.5)%' AND pid <> pg_backend_pid()",
            )
        )
    )
    second = cli.spawn("up")
    started = time.monotonic()
    _out1, err1 = first.communicate(timeout=60)
    _out2, err2 = second.communicate(timeout=60)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert time.monotonic() - started < 20
    valid = query(
        db_conn, "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id_idx'::regclass"
    )
    assert valid == [(True,)]


def test_second_run_gives_up_after_lock_wait(cli: Cli, db_conn, db_url: str) -> None:
    (cli.project / "slipway.toml").write_text('[migrations]\nlock_wait = "0.5s"\n')
    cli.write("0001_a.sql", "CREATE TABLE a (id int);")
    from slipway.migrations.lock import lock_key

    with psycopg.connect(db_url, autocommit=True, application_name="other-slipway") as holder:
        holder.execute("SELECT pg_advisory_lock(%s, %s)", lock_key(holder, "slipway_migrations"))
        result = cli("up")
    assert result.code == 1
    assert "migration lock" in result.err and "other-slipway" in result.err
    assert not table_exists(db_conn, "a")


def test_sigkill_mid_migration_leaves_nothing_and_rerun_succeeds(cli: Cli, db_conn) -> None:
    cli.write(
        "0001_slow.sql",
        "CREATE TABLE half (id int);\n"
        "SELECT pg_sleep(CASE WHEN current_setting('app.slow', true) = 'yes' THEN 30 ELSE 0 END);\n",
    )
    proc = cli.spawn("up", env={"PGOPTIONS": "-c app.slow=yes"})
    wait_for(
        lambda: bool(
            query(
                db_conn,
                "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%app.slow%' AND state = 'active' AND pid <> pg_backend_pid()",
            )
        )
    )
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    started = time.monotonic()
    rerun = cli("up")
    assert rerun.code == 0, rerun.text
    assert time.monotonic() - started < 10
    assert table_exists(db_conn, "half")
    assert query(db_conn, "SELECT count(*) FROM slipway_migrations") == [(1,)]


def test_sigkill_during_non_transactional_migration_resumes(cli: Cli, db_conn) -> None:
    cli.write(
        "0001_steps.sql",
        "CREATE TABLE s1 (id int);\n"
        "SELECT pg_sleep(CASE WHEN current_setting('app.slow', true) = 'yes' THEN 30 ELSE 0 END);\n"
        "CREATE INDEX CONCURRENTLY s1_id ON s1 (id);\n",
    )
    proc = cli.spawn("up", env={"PGOPTIONS": "-c app.slow=yes"})
    wait_for(
        lambda: bool(
            query(
                db_conn,
                "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%app.slow%' AND state = 'active' AND pid <> pg_backend_pid()",
            )
        )
    )
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert table_exists(db_conn, "s1")  # statement 1 ran outside a transaction
    rerun = cli("up")
    assert rerun.code == 0, rerun.text
    assert "resuming at statement 2 of 3" in rerun.out
    assert table_exists(db_conn, "s1_id")


def test_retry_does_not_trip_over_an_invalid_index(cli: Cli, db_conn) -> None:
    cli.write("0001_t.sql", "CREATE TABLE t (email text); INSERT INTO t VALUES ('a'), ('a');")
    assert cli("up").code == 0
    cli.write(
        "0002_unique.sql", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_email ON t (email);"
    )
    failed = cli("up")
    assert failed.code == 1 and "could not create unique index" in failed.err
    assert "no statement ran" in failed.err
    assert query(
        db_conn, "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_email'::regclass"
    ) == [(False,)]
    db_conn.execute("DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t)")
    retried = cli("up")
    assert retried.code == 0, retried.text
    assert "dropped invalid public.t_email first" in retried.out
    assert query(
        db_conn, "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_email'::regclass"
    ) == [(True,)]


def test_blocked_migration_times_out_and_retries_while_readers_keep_going(
    cli: Cli, db_conn, db_url: str
) -> None:
    cli.write("0001_t.sql", "CREATE TABLE t (id int); INSERT INTO t VALUES (1);")
    assert cli("up").code == 0
    (cli.project / "slipway.toml").write_text("[migrations]\nlock_retries = 2\n")
    cli.write("0002_alter.sql", "ALTER TABLE t ADD COLUMN note text;")
    reader_latencies: list[float] = []
    stop = threading.Event()

    def reader() -> None:
        with psycopg.connect(db_url, autocommit=True) as conn:
            while not stop.is_set():
                t0 = time.monotonic()
                conn.execute("SELECT count(*) FROM t").fetchone()
                reader_latencies.append(time.monotonic() - t0)
                time.sleep(0.02)

    with psycopg.connect(db_url) as long_tx:
        long_tx.execute("SELECT * FROM t").fetchall()  # holds ACCESS SHARE until rollback
        thread = threading.Thread(target=reader)
        thread.start()
        try:
            result = cli("up", "--lock-timeout", "200ms")
        finally:
            stop.set()
            thread.join()
        long_tx.rollback()
    assert result.code == 1
    assert "lock timeout" in result.err and "gave up after 3 tries" in result.err
    assert "retry 1" in result.err and "retry 2" in result.err
    assert max(reader_latencies) < 1.0  # readers waited at most about one lock_timeout
    assert not query(
        db_conn,
        "SELECT 1 FROM information_schema.columns WHERE table_name = 't' AND column_name = 'note'",
    )
    # Once the long transaction is gone, the same migration goes through.
    assert cli("up", "--lock-timeout", "200ms").code == 0


def test_blocker_that_finishes_during_retries_lets_the_migration_through(
    cli: Cli, db_conn, db_url: str
) -> None:
    cli.write("0001_t.sql", "CREATE TABLE t (id int);")
    assert cli("up").code == 0
    cli.write("0002_alter.sql", "ALTER TABLE t ADD COLUMN note text;")
    long_tx = psycopg.connect(db_url)
    long_tx.execute("SELECT * FROM t").fetchall()
    timer = threading.Timer(0.6, long_tx.rollback)
    timer.start()
    try:
        result = cli("up", "--lock-timeout", "200ms")
    finally:
        timer.join()
        long_tx.close()
    assert result.code == 0, result.text
    assert "lock retries" in result.out

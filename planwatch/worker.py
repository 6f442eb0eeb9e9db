"""Analysts' queries run in worker processes with an operating-system memory bound, killed at their deadline.

DuckDB's own ``memory_limit`` does not bound scalar allocations (``repeat``, ``range`` into a list,
``list_transform``) and an interrupt does not stop them, so the bound is the process: each worker is a
``python -m planwatch.worker DB`` child that first limits its own private memory with
``resource.setrlimit(RLIMIT_DATA)`` (RLIMIT_AS does not work: Python, pyarrow and DuckDB reserve over 1 GB of
address space before any query), then attaches the database file read-only, names its public views in an
in-memory DuckDB, seals itself, and answers one query at a time. The parent (``Pool``) waits for the answer until the deadline
and kills the worker when it passes; a worker that was killed or ran out of memory is replaced by a fresh one.

Wire format, both directions: 4-byte big-endian length, then the payload. A request is JSON
``{"sql", "params", "max_rows", "max_bytes"}``; the answer is a JSON header (``{"ok": true, "truncated", "elapsed"}``
or ``{"ok": false, "error", "kind"}``), followed by an Arrow IPC stream when ok.
"""
from __future__ import annotations

import json
import os
import resource
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# RLIMIT_DATA of each worker: private memory for the engine's 256 MB, Python, pyarrow and the attached file's
# catalogue (at 512 MB a national-scale window over v_observation that fits in 256 MB was refused)
WORKER_MEMORY = 640 * 2**20
ENGINE_MEMORY = "256MB"  # DuckDB's own limit inside the worker: sorts, joins and windows beyond it spill to disk
SPILL_LIMIT = "1GB"  # disk a worker's engine may spill to, in a private temporary folder removed with the worker
POOL_SIZE = 2  # workers at once: with the app itself (~350 MB) the server stays under about 1.5 GB
BUSY_WAIT = 3.0  # seconds a query waits for a free worker before "busy"
START_TIMEOUT = 60.0  # seconds a new worker may take to load its copy (not counted against the query's limit)
MAX_RESULT_BYTES = 32 * 2**20  # bytes a result may hold: its Arrow bytes, and never less than cell_bytes a cell
CELL_BYTES = 8  # what the app holds for a cell in pandas at least, whatever Arrow spent on it (a NULL column: 0)
# …and for the types pandas holds as Python objects, measured (pandas 3, pyarrow): a date 40 bytes a cell (4 in
# Arrow), a decimal 112 (16), a time of day 48 (8), a blob 47 and its bytes
OBJECT_CELL_BYTES = {"date": 40, "decimal": 112, "time": 48, "binary": 48}
BATCH_ROWS = 256
NESTED = ("list", "struct", "map", "array")  # sent as JSON text (DuckDBPyType.id)
TEXT_TYPES = ("UNION", "INTERVAL", "BIT", "BIGNUM", "VARINT", "UHUGEINT", "TIME WITH TIME ZONE")  # sent as text
SEALED_VIEWS = ("v_indicator", "v_observation", "v_status", "v_warning", "v_attainment_by_plan",
                "v_attainment_by_domain", "v_attainment_by_region", "v_attainment_by_unit", "v_status_detail",
                "v_reference", "v_reporting_progress", "v_value_history", "v_region", "v_attainment_rollup",
                "v_parent_comparison", "v_indicator_unit")


class WorkerFailed(Exception):
    """A query did not come back. kind: 'timeout', 'memory', 'busy', 'start' (the worker could not load the
    database) or 'crash'; guard words each for the user."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


# --- the child ---------------------------------------------------------------------------------------------------------

def _sealed_engine(db_path: str, spill: str):
    """An in-memory DuckDB whose public views read the database file, attached read-only, with files, settings and
    extensions locked away. Views, not copies: at national scale (2,850 regions) the public views hold millions of
    rows, more than a worker's memory bound, and copying them would cost minutes after every write."""
    import duckdb

    from planwatch import db

    con = duckdb.connect(":memory:", config={
        "autoload_known_extensions": False, "autoinstall_known_extensions": False,
        "allow_community_extensions": False, "allow_persistent_secrets": False,
        "temp_directory": spill, "max_temp_directory_size": SPILL_LIMIT, "memory_limit": ENGINE_MEMORY,
        "threads": 1})
    version = list(db.identity(db_path))  # what the app's pages key their caches on (ui.data_version)
    con.execute(f"ATTACH {db.sql_string(db_path)} AS pw (READ_ONLY)")  # not duckdb.connect(path): stale instance cache
    for view in SEALED_VIEWS:
        con.execute(f"CREATE VIEW memory.main.{view} AS SELECT * FROM pw.main.{view}")
    for setting in ("secret_directory", "extension_directory", "home_directory"):  # no server path to read back
        con.execute(f"SET {setting} = ''")
    for setting in ("SET enable_external_access = false", "SET python_enable_replacements = false",
                    "SET lock_configuration = true"):
        con.execute(setting)
    return con, version


def _answer(con, request: dict) -> tuple[dict, bytes]:
    """Run one request in its own transaction, always rolled back; (header, Arrow IPC stream bytes)."""
    import duckdb
    import pyarrow as pa

    start = time.perf_counter()
    # the connection itself, not a cursor: a cursor starts with default client settings (replacement scans on)
    con.begin()
    try:
        table = _fetch(con.sql(request["sql"], params=request.get("params") or None),
                       request["max_rows"] + 1, request["max_bytes"])
    except Exception as exc:  # said, not a dead worker; DuckDB reports memory in several exception classes
        text = str(exc)
        memory = isinstance(exc, (MemoryError, pa.ArrowMemoryError)) or "out of memory" in text.lower()
        return {"ok": False, "kind": "OutOfMemoryException" if memory else type(exc).__name__, "error": text}, b""
    finally:
        try:
            con.rollback()
        except duckdb.Error:
            pass
    if table is None:
        return {"ok": False, "kind": "size", "error": ""}, b""
    truncated = table.num_rows > request["max_rows"]
    table = table.slice(0, request["max_rows"])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return {"ok": True, "truncated": truncated, "elapsed": time.perf_counter() - start}, sink.getvalue().to_pybytes()


def _fetch(relation, max_rows: int, max_bytes: int):
    """At most max_rows rows, batch by batch (the rest is never computed); None when they pass max_bytes, counted
    as the app will hold them (700 columns of NULL are no Arrow bytes and 1.1 GB of pandas at 200,000 rows)."""
    import pyarrow as pa

    if relation is None:  # a statement without a result (only reachable through Sandbox.execute)
        return pa.table({})
    reader = _portable(relation).to_arrow_reader(BATCH_ROWS)
    batches, rows, size = [], 0, 0
    for batch in reader:
        batches.append(batch)
        rows += batch.num_rows
        size += sum(max(column.nbytes, batch.num_rows * cell_bytes(column.type)) for column in batch.columns)
        if size > max_bytes:
            reader.close()
            return None
        if rows >= max_rows:
            break
    reader.close()
    return pa.Table.from_batches(batches, reader.schema).slice(0, max_rows)


def cell_bytes(kind) -> int:
    """What the app holds for a cell of this Arrow type in pandas at least (OBJECT_CELL_BYTES, else CELL_BYTES)."""
    import pyarrow.types as t

    for name, test in (("date", t.is_date), ("decimal", t.is_decimal), ("time", t.is_time),
                       ("binary", lambda k: t.is_binary(k) or t.is_large_binary(k) or t.is_fixed_size_binary(k))):
        if test(kind):
            return OBJECT_CELL_BYTES[name]
    return CELL_BYTES


def _portable(relation):
    """Columns of types pandas, Excel or Parquet cannot hold (or show wrongly: UHUGEINT) as their text, and lists,
    structs and maps as JSON text. Made here, in the bounded worker, so that the size limit counts the text the app
    will hold: a list of 20,000 NULLs is 5 bytes of Arrow and 100 KB of JSON (3,000 of them took the app to 1.7 GB).
    Columns are named by position (#n), so a result with two columns of one name is converted too."""
    def converted(position: int, kind) -> str:
        if kind.id in NESTED:
            return f"CAST(to_json(#{position}) AS VARCHAR)"
        return f"CAST(#{position} AS VARCHAR)" if any(w in str(kind) for w in TEXT_TYPES) else f"#{position}"

    columns = [converted(i, t) for i, t in enumerate(relation.types, start=1)]
    if all(c.startswith("#") for c in columns):
        return relation
    return relation.project(", ".join(f'{c} AS "{n.replace(chr(34), chr(34) * 2)}"'
                                      for c, n in zip(columns, relation.columns)))


def _read_frame(stream) -> bytes | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (n,) = struct.unpack(">I", head)
    return stream.read(n)


def _write_frames(stream, *payloads: bytes) -> None:
    for payload in payloads:
        stream.write(struct.pack(">I", len(payload)) + payload)
    stream.flush()


def main(db_path: str, spill: str) -> None:
    resource.setrlimit(resource.RLIMIT_DATA, (WORKER_MEMORY, WORKER_MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the pipe
    import pyarrow  # noqa: F401  (loaded before "ready", so a first query's time limit does not pay for it)

    try:
        con, version = _sealed_engine(db_path, spill)
    except Exception as exc:  # a missing, damaged or busy file: said once, then the worker ends
        _write_frames(stdout, json.dumps({"ok": False, "kind": "start", "error": type(exc).__name__}).encode())
        return
    _write_frames(stdout, json.dumps({"ok": True, "version": version}).encode())
    while (frame := _read_frame(stdin)) is not None:
        header, body = _answer(con, json.loads(frame))
        _write_frames(stdout, json.dumps(header).encode(), body)
    con.close()
    shutil.rmtree(spill, ignore_errors=True)


def _plain(value):
    """numpy scalars (e.g. a year picked from a result) as plain Python values."""
    return value.item() if hasattr(value, "item") else str(value)


# --- the parent --------------------------------------------------------------------------------------------------------

class Worker:
    """One child process; `query` returns (header, arrow bytes) or raises WorkerFailed (the worker is then dead)."""

    def __init__(self, db_path: Path | str):
        self.spill = tempfile.mkdtemp(prefix="planwatch-query-")  # the engine's own, removed with the worker
        self.proc = subprocess.Popen([sys.executable, "-m", "planwatch.worker", str(db_path), self.spill],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     cwd=Path(__file__).resolve().parent.parent)
        self.version: tuple | None = None
        self.generation = 0

    def ready(self) -> None:
        """Wait until the copy is loaded (once)."""
        if self.version is not None:
            return
        header = json.loads(self._read(time.monotonic() + START_TIMEOUT, "start"))
        if not header["ok"]:
            self.kill()
            raise WorkerFailed("start")  # not the engine's text: it names server paths and processes
        self.version = tuple(header["version"])

    def query(self, request: dict, timeout: float) -> tuple[dict, bytes]:
        self.ready()
        deadline = time.monotonic() + timeout
        try:
            _write_frames(self.proc.stdin, json.dumps(request, default=_plain).encode())
        except OSError:
            self.kill()
            raise WorkerFailed("crash") from None
        header = json.loads(self._read(deadline, "timeout"))
        body = self._read(deadline, "timeout")
        return header, body

    def _read(self, deadline: float, kind: str) -> bytes:
        (n,) = struct.unpack(">I", self._read_exact(4, deadline, kind))
        return self._read_exact(n, deadline, kind)

    def _read_exact(self, n: int, deadline: float, kind: str) -> bytes:
        fd, chunks, got = self.proc.stdout.fileno(), [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.kill()
                raise WorkerFailed(kind)
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:  # the worker died: out of memory (the kernel's bound) or killed
                self.kill()
                raise WorkerFailed("start" if kind == "start" else "memory")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.spill, ignore_errors=True)


class Pool:
    """At most `size` workers on one database file; a query waits BUSY_WAIT seconds for a free one, else 'busy'.

    Idle workers are kept (a new one costs about a second to start); one that failed is killed and a replacement
    starts at once in the background. `refresh()` drops idle workers after the data changed."""

    def __init__(self, db_path: Path | str, size: int = POOL_SIZE):
        self.db_path = os.path.abspath(db_path)  # workers run in the repository directory
        self.size = size
        self._free = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._generation = 0  # bumped by refresh(); a worker of an older generation is not kept
        self._idle: list[Worker] = [self._spawn()]

    def run(self, request: dict, timeout: float) -> tuple[dict, bytes, tuple]:
        """(header, arrow bytes, data version of the copy that answered)."""
        if not self._free.acquire(timeout=BUSY_WAIT):
            raise WorkerFailed("busy")
        try:
            worker = self._take()
            try:
                worker.ready()
                header, body = worker.query(request, timeout)
            except BaseException:  # failed, or the caller was stopped mid-query: the worker's state is unknown
                worker.kill()
                self._replace()
                raise
            if not header["ok"] and header["kind"] == "OutOfMemoryException":  # its heap may stay large: retire it
                worker.kill()
                self._replace()
            else:
                self._give_back(worker)
            return header, body, worker.version
        finally:
            self._free.release()

    def refresh(self) -> None:
        """The data changed: idle workers hold an old copy; start afresh."""
        with self._lock:
            self._generation += 1
            old, self._idle = self._idle, [self._spawn()]
        for worker in old:
            worker.kill()

    def close(self) -> None:
        with self._lock:
            old, self._idle = self._idle, []
        for worker in old:
            worker.kill()

    def _take(self) -> Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
            return self._spawn()

    def _spawn(self) -> Worker:
        worker = Worker(self.db_path)
        worker.generation = self._generation
        return worker

    def _give_back(self, worker: Worker) -> None:
        with self._lock:
            if worker.generation == self._generation and len(self._idle) < self.size:
                self._idle.append(worker)
                return
        worker.kill()

    def _replace(self) -> None:
        with self._lock:
            if not self._idle:
                self._idle.append(self._spawn())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

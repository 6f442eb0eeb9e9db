"""Login throttling per user name and client, per client and per user name, shared by every process that serves
the same database.

Every attempt is counted as a failure *before* its password is checked (so parallel guesses are counted too);
a successful login then clears its name's counts and takes its own attempt back from the client's count. Once a
user name has FREE_PER_USER failures from one client (a client FREE_PER_CLIENT, over any names; a name
FREE_PER_NAME, from any clients), the next attempt must wait 2, 4, 8 … seconds after the last one, at most
MAX_WAIT; waiting attempts are refused without a password check. A name's own count is kept per client so that
someone guessing from one place cannot keep its owner out from another, and each client adds at most
FREE_PER_USER failures to the name's count over all clients: guesses spread over many clients still throttle the
name, one client guessing all night does not.
Names are stored as hashes (people type passwords into the name field), in <db>.logins.json, mode 0600,
written under its own lock so a login never waits for a database write. Records idle for FORGET are dropped.
"""
from __future__ import annotations

import hashlib
import ipaddress
import json
import math
import time
from pathlib import Path

from planwatch import db, paths
from planwatch.private_file import write_private

FREE_PER_USER = 5  # a name's failures from one client
FREE_PER_CLIENT = 20
FREE_PER_NAME = 50  # a name's failures from all clients together
MAX_WAIT = 15 * 60  # seconds
FORGET = 24 * 3600  # seconds without a failure after which a record is dropped
MAX_RECORDS = 10_000  # a flood of invented names cannot grow the file without bound

clock = time.time  # tests replace it to move time forward


class Throttled(Exception):
    """Too many failed attempts: the message (Chinese) says how long to wait."""


def path(db_path: Path | str) -> Path:
    return paths.beside(db_path, ".logins.json")


def _client_key(client: str | None) -> str:
    """The client as throttling counts it: an IPv6 address by its /64 (one household's or server's share: a guesser
    there has 2^64 addresses to rotate through), anything else as it is. An IPv4 address a dual-stack proxy passes
    as IPv6 (::ffff:3.3.3.3) is that IPv4 address: as a /64, every IPv4 client shared one counter."""
    try:
        address = ipaddress.ip_address((client or "").split("%")[0])
    except ValueError:
        return client or "?"
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(ipaddress.ip_network(f"{address}/64", strict=False)) if address.version == 6 else str(address)


def _keys(name: str, client: str | None) -> dict[str, int]:
    """Record key -> free failures before back-off, for the name from this client, the client and the name."""
    def digest(kind, *values):
        text = "\0".join(values)
        return kind + ":" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    client = _client_key(client)
    return {digest("user", name, client): FREE_PER_USER, digest("client", client): FREE_PER_CLIENT,
            digest("name", name): FREE_PER_NAME}


def _wait(record: dict, free: int, now: float) -> float:
    if record["failures"] < free:
        return 0.0
    return max(0.0, min(2.0 ** (record["failures"] - free + 1), MAX_WAIT) - (now - record["last"]))


def _load(file: Path, now: float) -> dict:
    try:
        records = json.loads(file.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        records = {}
    except OSError as exc:  # not a readable file (a folder in its place): no login until it is put right
        raise Throttled(f"登录记录文件 {file.name} 无法读取({exc.strerror or exc}),请管理员处理后再登录。") from None
    records = records if isinstance(records, dict) else {}  # damaged: the counts start again
    fresh = {k: v for k, v in records.items() if isinstance(v, dict) and isinstance(v.get("last"), (int, float))
             and isinstance(v.get("failures"), int) and now - v["last"] < FORGET}
    return dict(sorted(fresh.items(), key=lambda kv: kv[1]["last"])[-MAX_RECORDS:])


def _save(file: Path, records: dict) -> None:
    try:
        write_private(file, json.dumps(records))
    except OSError as exc:
        raise Throttled(f"登录记录文件 {file.name} 无法写入({exc.strerror or exc}),请管理员处理后再登录。") from None


def admit(db_path: Path | str, name: str, client: str | None) -> None:
    """Count one attempt, or raise Throttled if the user name or the client must wait first."""
    file = path(db_path)
    with db.write_lock(file):
        now = clock()
        records = _load(file, now)
        keys = _keys(name, client)
        wait = max(_wait(records.get(k, {"failures": 0, "last": now}), free, now) for k, free in keys.items())
        if wait > 0:
            minutes = math.ceil(wait / 60)
            raise Throttled(f"登录失败次数过多,请 {math.ceil(wait)} 秒后再试。" if wait < 60 else
                            f"登录失败次数过多,请 {minutes} 分钟后再试。")
        pair, _, name_key = keys
        # a client adds at most FREE_PER_USER failures to the name's own count: one client guessing for hours
        # cannot make the name wait for everyone; it takes FREE_PER_NAME / FREE_PER_USER clients (/64s for IPv6)
        counted = [k for k in keys if k != name_key or records.get(pair, {"failures": 0})["failures"] < FREE_PER_USER]
        for key in counted:
            records[key] = {"failures": records.get(key, {"failures": 0})["failures"] + 1, "last": now}
        _save(file, records)


def succeeded(db_path: Path | str, name: str, client: str | None) -> None:
    """The attempt admitted for this name and client was right: clear the name's counts (from this client and from
    all), take back the client's."""
    file = path(db_path)
    with db.write_lock(file):
        records = _load(file, clock())
        user, client_key, name_key = _keys(name, client)
        records.pop(user, None)
        records.pop(name_key, None)
        if client_key in records:
            records[client_key]["failures"] = max(0, records[client_key]["failures"] - 1)
        _save(file, records)

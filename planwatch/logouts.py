"""When each user name last pressed 退出登录: a re-login cookie issued before that no longer logs in, on any device.

The cookie itself is signed and carries its expiry (accounts.issue_token); clearing it in one browser would leave a
copy elsewhere (a shared office PC, a stolen cookie) valid for hours. <db>.logouts.json holds {hashed name: time},
mode 0600, written under its own lock (a logout never waits for a database write); an entry is dropped once every
cookie issued before it has expired anyway.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from pathlib import Path

from planwatch import db
from planwatch.private_file import write_private


def path(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + ".logouts.json")


def _key(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _load(file: Path) -> dict[str, float]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, (int, float))} if isinstance(data, dict) else {}


def record(db_path: Path | str, name: str, keep_seconds: float) -> None:
    """The name logged out now (to the second: a cookie issued later in the same second still works)."""
    file = path(db_path)
    with db.write_lock(file):
        now = math.floor(time.time())
        entries = {k: t for k, t in _load(file).items() if now - t < keep_seconds}
        entries[_key(name)] = now
        write_private(file, json.dumps(entries))


def last(db_path: Path | str, name: str) -> float | None:
    """When the name last logged out (None: not within the cookies' lifetime)."""
    return _load(path(db_path)).get(_key(name))

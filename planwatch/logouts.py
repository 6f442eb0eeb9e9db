"""When each user name last pressed 退出登录: a re-login cookie issued before that no longer logs in, and a session
that logged in before it ends at its next page run, on every device.

The cookie itself is signed and carries its expiry (accounts.issue_token); clearing it in one browser would leave a
copy elsewhere (a shared office PC, a stolen cookie) valid for hours. <db>.logouts.json holds {hashed name: time},
mode 0600, written under its own lock (a logout never waits for a database write); an entry is dropped once every
cookie issued before it has expired anyway. A file that cannot be read fails closed: every cookie and session from
before its last change is void ("*": that time), and password logins work as before.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from pathlib import Path

from planwatch import db, paths
from planwatch.private_file import write_private

EVERYONE = "*"


def path(db_path: Path | str) -> Path:
    return paths.beside(db_path, ".logouts.json")


def _key(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _load(file: Path) -> dict[str, float]:
    """The entries; a damaged file (or one that is not a file) gives {EVERYONE: its modification time}."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict) or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in data.values()):
        try:
            return {EVERYONE: file.stat().st_mtime}
        except OSError:
            return {EVERYONE: time.time()}
    return data


def record(db_path: Path | str, name: str, keep_seconds: float) -> None:
    """The name logged out now. Raises OSError when the file cannot be written."""
    file = path(db_path)
    with db.write_lock(file):
        now = time.time()
        entries = {k: t for k, t in _load(file).items() if now - t < keep_seconds}
        entries[_key(name)] = now
        write_private(file, json.dumps(entries))


def last(db_path: Path | str, name: str) -> float | None:
    """When the name last logged out (None: not within the cookies' lifetime)."""
    entries = _load(path(db_path))
    times = [t for t in (entries.get(_key(name)), entries.get(EVERYONE)) if t is not None]
    return max(times, default=None)

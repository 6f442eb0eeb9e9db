"""Editor accounts for 数据填报: user names with bcrypt password hashes, never plain passwords.

Accounts come from Streamlit secrets (`[editors]` in .streamlit/secrets.toml: name = "bcrypt hash") or, for
deployments and tests, the environment variable PLANWATCH_EDITORS ("name:hash;name2:hash"). An administrator
adds one with `python -m planwatch add-editor NAME` (reads the password from standard input).
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

import bcrypt

from planwatch.paths import ROOT

SECRETS = ROOT / ".streamlit" / "secrets.toml"


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def editors(secrets: dict | None = None) -> dict[str, str]:
    """name -> bcrypt hash, from the environment first, then the secrets file."""
    found: dict[str, str] = {}
    if secrets is None and SECRETS.exists():
        secrets = tomllib.loads(SECRETS.read_text(encoding="utf-8"))
    found.update((secrets or {}).get("editors", {}))
    for item in filter(None, os.environ.get("PLANWATCH_EDITORS", "").split(";")):
        name, _, hashed = item.partition(":")
        found[name.strip()] = hashed.strip()
    return found


def check(name: str, password: str, accounts: dict[str, str]) -> bool:
    hashed = accounts.get(name)
    if not hashed or not password:
        return False
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:  # a malformed hash in the configuration
        return False


def add_editor(name: str, password: str, path: Path = SECRETS) -> None:
    """Add or replace an editor in the secrets file (kept out of git), leaving its other tables as they are."""
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.setdefault("editors", {})[name] = hash_password(password)
    lines = []
    for table, values in data.items():
        lines.append(f"[{table}]")
        lines += [f"{_key(k)} = {_string(v)}" for k, v in values.items()]
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    path.chmod(0o600)


def _string(value) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(name: str) -> str:
    return name if name.isascii() and name.replace("_", "").replace("-", "").isalnum() else _string(name)

"""Accounts: who may log in, with which role and scope. Passwords are kept only as bcrypt hashes.

The store is planwatch's own file beside the database, <db>.accounts.toml (var/planwatch.accounts.toml for
the default database), never the database itself (analysts open that file). It is written whole with tomlkit
to a temporary file (mode 0600) renamed into place, under the database's cross-process writer lock, so any name
(quotes, brackets, '=', newlines, Chinese) round-trips. It also holds the secret that signs re-login cookies.

Legacy office accounts are still read, never written: `[editors]` in .streamlit/secrets.toml
(name = "bcrypt hash") and the environment variable PLANWATCH_EDITORS ("name:hash;name2:hash"). They log in as
importers; an account of the same name in the store takes precedence.

API (db_path is the database file; every error is an AccountError with a Chinese message):
- Account(name, role, region, unit, legacy): role is one of ROLES; region is a region_code, unit a unit_id
  (both as in the `region` and `unit` tables); legacy marks accounts read from secrets.toml or the environment.
- add(db_path, name, password, role, region=None, unit=None) -> Account. A filler (填报员) needs region and unit
  (one of that region's units), a reviewer (审核员) a region, an admin or importer neither. Region and unit may
  be given by code or by name (张家港市, 市卫健局).
- remove(db_path, name); set_password(db_path, name, password); get(db_path, name) -> Account | None;
  list(db_path) -> [Account] (store first, then legacy accounts not shadowed by it).
- verify(db_path, name, password, client) -> Account | None: None for a wrong name or password (the same time
  either way: unknown names are checked against a dummy hash); raises LoginRefused while the name or the
  client (an IP address) must wait after repeated failures (planwatch/throttle.py).
- issue_token(db_path, account) -> str and from_token(db_path, token) -> Account | None: a signed re-login
  token valid TOKEN_HOURS, void once the account is removed or its password changes.
- scopes(con) -> DataFrame of the regions and units accounts may be scoped to (queries/account_scopes.sql).
"""
from __future__ import annotations

import base64
import builtins
import functools
import hashlib
import hmac
import json
import math
import os
import secrets as secrets_mod
import threading
import time
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import bcrypt
import tomlkit

from planwatch import db, logouts, paths, throttle
from planwatch.paths import ROOT
from planwatch.private_file import write_private

if TYPE_CHECKING:
    import pandas as pd

ROLES = {"filler": "填报员", "reviewer": "审核员", "admin": "管理员", "importer": "导入员"}
SECRETS = ROOT / ".streamlit" / "secrets.toml"
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further
MAX_NAME = 64
# letters drawn like Latin ones (аdmin with a Cyrillic а, ɑdmin with a Latin alpha, admın with a dotless ı read as
# admin), folded for comparison: Cyrillic, Greek and IPA look-alikes of the letters names use
LOOKALIKES = str.maketrans("асеіјорсухԁһӏѕԛԝοαινɑɡɩıʟ", "aceijopcyxdhlsqwoaivagiil")
TOKEN_HOURS = 12
ROUNDS = 12  # bcrypt's cost (its default): about 0.3 s per check on one core


class AccountError(ValueError):
    """An account change refused; the message (Chinese) says why."""


class LoginRefused(Exception):
    """Too many failed attempts for this name or from this client; the message (Chinese) says how long to wait."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    region: str | None = None
    unit: str | None = None
    legacy: bool = False

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


def shown(name: str) -> str:
    """A name for one line of text: control characters (newline, ESC …) written as escapes."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name)


def store_path(db_path: Path | str) -> Path:
    return paths.beside(db_path, ".accounts.toml")


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(ROUNDS)).decode("ascii")


# --- reading -----------------------------------------------------------------------------------------------

def _read_store(db_path) -> dict:
    """{'secret': str | None, 'accounts': {name: record}} from the store file (absent file: empty)."""
    path = store_path(db_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AccountError(f"账号文件 {path} 已损坏,无法读取:{exc}") from exc
    records = data.get("account", [])
    for n, record in enumerate(records if isinstance(records, builtins.list) else [None], start=1):
        if not (isinstance(record, dict) and all(isinstance(record.get(k), str) for k in ("name", "role", "hash"))
                and record["role"] in ROLES):
            raise AccountError(f"账号文件 {path} 已损坏:第 {n} 个账号缺少用户名、角色或密码散列")
    return {"secret": data.get("secret"), "accounts": {a["name"]: a for a in records}}


def _legacy() -> dict[str, str]:
    """name -> bcrypt hash of the office's old editor accounts (secrets.toml [editors], then the environment)."""
    found: dict[str, str] = {}
    if SECRETS.exists():
        try:
            editors = tomllib.loads(SECRETS.read_text(encoding="utf-8")).get("editors", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            editors = {}  # a damaged secrets file must not lock every other account out
        found.update({k: v for k, v in editors.items() if isinstance(v, str)} if isinstance(editors, dict) else {})
    for item in filter(None, os.environ.get("PLANWATCH_EDITORS", "").split(";")):
        name, _, hashed = item.partition(":")
        found[name.strip()] = hashed.strip()
    return found


def _account(record: dict) -> Account:
    return Account(record["name"], record["role"], record.get("region"), record.get("unit"))


def _lookup(db_path, name: str) -> tuple[Account, str] | None:
    """The account and its hash, the store before the legacy accounts."""
    record = _read_store(db_path)["accounts"].get(name)
    if record is not None:
        return _account(record), record["hash"]
    legacy = _legacy().get(name)
    return (Account(name, "importer", legacy=True), legacy) if legacy else None


def get(db_path: Path | str, name: str) -> Account | None:
    found = _lookup(db_path, name)
    return found[0] if found else None


def list(db_path: Path | str) -> list[Account]:  # noqa: A001 - the documented name of the API
    stored = _read_store(db_path)["accounts"]
    legacy = [Account(n, "importer", legacy=True) for n in _legacy() if n not in stored]
    return [*(_account(r) for r in stored.values()), *legacy]


# --- writing -----------------------------------------------------------------------------------------------

def _write_store(db_path, secret: str | None, records: dict) -> None:
    doc = tomlkit.document()
    doc.add(tomlkit.comment("planwatch accounts: written by `python -m planwatch users` and the 账号管理 page."))
    doc.add(tomlkit.comment("Passwords are bcrypt hashes; `secret` signs the re-login cookies. Keep this file private."))
    doc["secret"] = secret or secrets_mod.token_hex(32)
    table = tomlkit.aot()
    for record in records.values():
        table.append(tomlkit.item({k: v for k, v in record.items() if v is not None}))
    doc["account"] = table
    write_private(store_path(db_path), tomlkit.dumps(doc))


def _change(db_path, change) -> None:
    """Apply change(records) to the store under the database's writer lock and write it back whole."""
    try:
        with db.write_lock(db_path):
            store = _read_store(db_path)
            change(store["accounts"])
            _write_store(db_path, store["secret"], store["accounts"])
    except db.DatabaseBusy as exc:
        raise AccountError(str(exc)) from None


def _check_name(name: str) -> None:
    if not name or not name.strip():
        raise AccountError("用户名不能为空")
    if name != name.strip():
        raise AccountError(f"用户名“{shown(name)}”首尾不能有空格")
    if len(name) > MAX_NAME:
        raise AccountError(f"用户名不能超过 {MAX_NAME} 个字符")
    # a newline, ESC or an invisible format character makes a name no one can type at the login form
    if any(unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") for ch in name):
        raise AccountError(f"用户名“{shown(name)}”含有控制字符或不可见字符,请只用文字、字母、数字和常用符号")


def _folded(name: str) -> str:
    """A name as a reader sees it: case, full-width forms and look-alike Cyrillic or Greek letters set aside."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return folded.translate(LOOKALIKES)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少需要 {MIN_PASSWORD} 个字符")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AccountError(f"密码不能超过 {MAX_PASSWORD_BYTES} 字节(约 24 个汉字或 72 个字母)")
    if "\0" in password:
        raise AccountError("密码不能包含空字符")


def scopes(con) -> pd.DataFrame:
    """Regions with a plan (for reviewers) and each one's units (for fillers); con: anything with cursor()."""
    return db.run_query(con, "account_scopes")


def _scope_frame(db_path, con) -> pd.DataFrame:
    if con is not None:
        return scopes(con)
    if not Path(db_path).exists():
        raise AccountError(f"数据库 {db_path} 不存在,无法核对地区和单位;请先运行 python -m planwatch build")
    with db.open_reader(db_path) as reader:
        return scopes(reader)


def _check_scope(db_path, role, region, unit, con) -> tuple[str | None, str | None]:
    """The (region_code, unit_id) the role needs, found by code or name; refusals name what is wrong."""
    if role not in ROLES:
        raise AccountError(f"角色“{shown(role)}”无效,应为 " + "、".join(f"{k}({v})" for k, v in ROLES.items()))
    if role in ("admin", "importer"):
        if region or unit:
            raise AccountError(f"{ROLES[role]}不限地区和单位,请不要指定 --region 或 --unit")
        return None, None
    if not region:
        raise AccountError(f"{ROLES[role]}必须指定地区(--region)")
    if role == "reviewer" and unit:
        raise AccountError("审核员审核整个地区,请不要指定单位(--unit)")
    if role == "filler" and not unit:
        raise AccountError("填报员必须指定所属责任单位(--unit)")
    frame = _scope_frame(db_path, con)
    regions = frame.drop_duplicates("region_code")
    match = regions[(regions["region_code"] == region) | (regions["region_name"] == region)]
    if match.empty:
        raise AccountError(f"地区“{shown(region)}”不在监测范围内,可选:" + "、".join(regions["region_name"]))
    code = match["region_code"].iloc[0]
    if role == "reviewer":
        return code, None
    units = frame[(frame["region_code"] == code) & frame["unit_id"].notna()]
    found = units[(units["unit_id"] == unit) | (units["unit_name"] == unit)]
    if found.empty:
        choices = "、".join(units["unit_name"]) or "(该地区尚无责任单位)"
        raise AccountError(f"单位“{shown(unit)}”不是{match['region_name'].iloc[0]}的责任单位,可选:{choices}")
    return code, found["unit_id"].iloc[0]


def add(db_path: Path | str, name: str, password: str, role: str, region: str | None = None,
        unit: str | None = None, *, con=None) -> Account:
    """Create an account (refused if the name is taken in the store). `con`: the app's reader, if open."""
    _check_name(name)
    region, unit = _check_scope(db_path, role, region, unit, con)
    _check_password(password)
    record = {"name": name, "role": role, "region": region, "unit": unit, "hash": hash_password(password),
              "created": time.strftime("%Y-%m-%d %H:%M:%S")}

    def insert(records):
        if name in records:
            raise AccountError(f"账号“{shown(name)}”已存在;重设密码请用 users passwd,或先删除")
        twin = next((other for other in records if _folded(other) == _folded(name)), None)
        if twin is not None:  # ADMIN, ａｄｍｉｎ or аdmin (Cyrillic а) beside admin: one could pass for the other
            raise AccountError(f"用户名“{shown(name)}”与已有账号“{shown(twin)}”看起来相同,请换一个用户名")
        records[name] = record
    _change(db_path, insert)
    return _account(record)


def remove(db_path: Path | str, name: str) -> None:
    def delete(records):
        if name not in records:
            if name in _legacy():
                raise AccountError(f"账号“{shown(name)}”来自 .streamlit/secrets.toml 或环境变量 PLANWATCH_EDITORS,"
                                   "请在那里删除")
            raise AccountError(f"没有账号“{shown(name)}”")
        del records[name]
    _change(db_path, delete)


def set_password(db_path: Path | str, name: str, password: str) -> None:
    """A new password; for a legacy account this creates an importer account in the store that replaces it."""
    _check_password(password)
    hashed = hash_password(password)

    def update(records):
        if name in records:
            records[name]["hash"] = hashed
        elif name in _legacy():
            records[name] = {"name": name, "role": "importer", "hash": hashed,
                             "created": time.strftime("%Y-%m-%d %H:%M:%S")}
        else:
            raise AccountError(f"没有账号“{shown(name)}”")
    _change(db_path, update)


# --- logging in --------------------------------------------------------------------------------------------

def _dummy_hash() -> bytes:
    """Checked for unknown names so that they cost the same time as known ones (at the same cost)."""
    return _dummy_at(ROUNDS)


_ONE_CHECK = threading.Lock()
# The hash of 32 random bytes that were thrown away: no password matches it. Other costs are made on first use.
_DUMMY_12 = b"$2b$12$LKhRIcPRHkP3Uzcl.yvzJ.GN72ks4SPEr340n3JJCEJFoLsgQ4Rgu"


@functools.cache
def _dummy_at(rounds: int) -> bytes:
    return _DUMMY_12 if rounds == 12 else bcrypt.hashpw(secrets_mod.token_bytes(16), bcrypt.gensalt(rounds))


def _matches(password: str, hashed: str | None) -> bool:
    """One bcrypt check at a time per process: a flood of logins takes one core, never every core."""
    data = password.encode("utf-8", "replace")
    usable = hashed is not None and len(data) <= MAX_PASSWORD_BYTES and "\0" not in password
    with _ONE_CHECK:
        try:
            target = hashed.encode("ascii") if usable else _dummy_hash()
            result = bcrypt.checkpw(data[:MAX_PASSWORD_BYTES].replace(b"\0", b""), target)
        except ValueError:  # a malformed hash in a legacy configuration: cost the same, then refuse
            bcrypt.checkpw(b"", _dummy_hash())
            return False
    return usable and result


def verify(db_path: Path | str, name: str, password: str, client: str | None) -> Account | None:
    try:
        throttle.admit(db_path, name, client)
    except (throttle.Throttled, db.DatabaseBusy) as exc:
        raise LoginRefused(str(exc)) from None
    found = _lookup(db_path, name)
    if not _matches(password, found[1] if found else None) or found is None:
        return None
    try:
        throttle.succeeded(db_path, name, client)
    except throttle.Throttled:  # the counts could not be written back: the password was right all the same
        pass
    return found[0]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _secret(db_path) -> bytes:
    """The store's signing secret, created on first use."""
    secret = _read_store(db_path)["secret"]
    if not secret:
        _change(db_path, lambda records: None)  # writes the store with a new secret
        secret = _read_store(db_path)["secret"]
    return secret.encode("ascii")


def _fingerprint(hashed: str) -> str:
    return hashlib.sha256(hashed.encode("utf-8")).hexdigest()[:16]


def credential(db_path: Path | str, name: str) -> str | None:
    """A short digest of the name's stored password hash (None: no such account). It changes with a new password,
    and with an account removed and added again (a new salt), so a session that kept it ends then."""
    found = _lookup(db_path, name)
    return _fingerprint(found[1]) if found else None


def with_credential(db_path: Path | str, name: str, credential_: str | None) -> Account | None:
    """The account of this name, if its password hash is still the one the credential was taken from."""
    found = _lookup(db_path, name)
    if found is None or credential_ is None or not hmac.compare_digest(credential_, _fingerprint(found[1])):
        return None
    return found[0]


def issue_token(db_path: Path | str, account: Account) -> str:
    found = _lookup(db_path, account.name)
    if found is None:
        raise AccountError(f"没有账号“{shown(account.name)}”")
    now = time.time()
    issued = math.floor(now * 1000) / 1000  # to the ms, rounded down: a logout in the same ms still voids it
    payload = _b64(json.dumps({"n": account.name, "e": int(now) + TOKEN_HOURS * 3600, "i": issued,
                               "f": _fingerprint(found[1])}).encode("utf-8"))
    return payload + "." + _b64(hmac.new(_secret(db_path), payload.encode("ascii"), "sha256").digest())


def from_token(db_path: Path | str, token: str | None) -> Account | None:
    """The account a re-login token names, if its signature, expiry and password fingerprint still hold."""
    payload, _, signature = (token if isinstance(token, str) else "").partition(".")
    secret = _read_store(db_path)["secret"]
    if not payload or not secret:
        return None
    expected = hmac.new(secret.encode("ascii"), payload.encode("utf-8", "replace"), "sha256").digest()
    if not hmac.compare_digest(_b64(expected).encode("ascii"), signature.encode("utf-8", "replace")):
        return None
    data = json.loads(_unb64(payload))
    found = _lookup(db_path, data["n"])
    if found is None or data["e"] < time.time() or not hmac.compare_digest(data["f"], _fingerprint(found[1])):
        return None
    issued = data.get("i", data["e"] - TOKEN_HOURS * 3600)  # when it was issued (to the second, before "i")
    return None if logged_out_since(db_path, data["n"], issued) else found[0]


def logged_out_since(db_path: Path | str, name: str, since: float) -> bool:
    """Did the name press 退出登录 (on any device) after `since` (a session's login time)?"""
    logged_out = logouts.last(db_path, name)
    return logged_out is not None and logged_out >= since


def end_tokens(db_path: Path | str, name: str) -> None:
    """退出登录: every re-login cookie issued to the name so far stops working, in every browser."""
    logouts.record(db_path, name, keep_seconds=TOKEN_HOURS * 3600)

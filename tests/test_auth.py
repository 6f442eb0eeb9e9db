"""Accounts and the login: the store round-trips any name and never touches the legacy secrets file; throttling per
user and per client; unknown names cost the same time; signed re-login tokens; the CLI refuses in Chinese."""
from __future__ import annotations

import json
import stat
import statistics
import time
import tomllib

import pytest

from planwatch import accounts, cli, login, throttle

PASSWORD = "correct horse"
HOSTILE = ['a"b', "x] [connections.db] url = 'evil'", "张三 = 李四", "[editors]", "'single' \\ back", "e[31m"]


@pytest.fixture
def now(monkeypatch) -> list[float]:
    """The throttle's clock, which a test moves forward by changing now[0]."""
    now = [1_000_000.0]
    monkeypatch.setattr(throttle, "clock", lambda: now[0])
    return now


@pytest.fixture
def db(fresh_db, monkeypatch, tmp_path, now):
    """A private database (accounts beside it), no legacy accounts, and cheap hashes (bcrypt's lowest cost)."""
    monkeypatch.setattr(accounts, "ROUNDS", 4)
    monkeypatch.setattr(accounts, "SECRETS", tmp_path / "secrets.toml")
    monkeypatch.delenv("PLANWATCH_EDITORS", raising=False)
    return fresh_db


# --- the store -----------------------------------------------------------------------------------------------------

def test_hostile_names_round_trip(db):
    for name in HOSTILE:
        accounts.add(db, name, PASSWORD, "admin")
    text = accounts.store_path(db).read_text(encoding="utf-8")
    assert [a["name"] for a in tomllib.loads(text)["account"]] == HOSTILE
    assert [a.name for a in accounts.list(db)] == HOSTILE
    assert "connections" not in tomllib.loads(text)
    assert PASSWORD not in text
    assert stat.S_IMODE(accounts.store_path(db).stat().st_mode) == 0o600
    assert accounts.get(db, HOSTILE[1]) == accounts.Account(HOSTILE[1], "admin")
    accounts.remove(db, HOSTILE[1])
    assert [a.name for a in accounts.list(db)] == HOSTILE[:1] + HOSTILE[2:]


def test_scope_is_checked_against_the_catalogue(db):
    filler = accounts.add(db, "卫健局填报", PASSWORD, "filler", region="张家港市", unit="市卫健委")
    assert filler == accounts.Account("卫健局填报", "filler", "320582", "320582:市卫健委")
    assert accounts.add(db, "审核", PASSWORD, "reviewer", region="320582").region == "320582"
    refusals = {
        ("filler", "张家港市", None): "填报员必须指定所属责任单位",
        ("filler", None, "市卫健委"): "填报员必须指定地区",
        ("filler", "乐清市", "市卫健委"): "单位“市卫健委”不是乐清市的责任单位",
        ("filler", "北京市", "市卫健委"): "地区“北京市”不在监测范围内",
        ("reviewer", None, None): "审核员必须指定地区",
        ("reviewer", "张家港市", "市卫健委"): "审核员审核整个地区",
        ("admin", "张家港市", None): "管理员不限地区和单位",
        ("owner", None, None): "角色“owner”无效",
    }
    for (role, region, unit), message in refusals.items():
        with pytest.raises(accounts.AccountError, match=message):
            accounts.add(db, "新账号", PASSWORD, role, region=region, unit=unit)
    with pytest.raises(accounts.AccountError, match="已存在"):
        accounts.add(db, "审核", PASSWORD, "admin")
    for password, message in (("short", "至少需要 8 个字符"), ("密" * 25, "不能超过 72 字节"), ("abc\0defgh", "空字符")):
        with pytest.raises(accounts.AccountError, match=message):
            accounts.add(db, "新账号", password, "admin")
    with pytest.raises(accounts.AccountError, match="用户名不能为空"):
        accounts.add(db, "  ", PASSWORD, "admin")
    with pytest.raises(accounts.AccountError, match="首尾不能有空格"):
        accounts.add(db, "张三 ", PASSWORD, "admin")
    # no one could type these at the login form, or tell them from another account
    for name in ("x\ny", "e\x1b[31m", "ad\u200bmin", "a\u2028b"):
        with pytest.raises(accounts.AccountError, match="含有控制字符或不可见字符"):
            accounts.add(db, name, PASSWORD, "admin")
    accounts.add(db, "admin", PASSWORD, "admin")
    for twin in ("ADMIN", "ａｄｍｉｎ", "\u0430dmin", "\u0251dmin", "adm\u0131n"):  # case, full-width, Cyrillic а, ɑ, ı
        with pytest.raises(accounts.AccountError, match="与已有账号“admin”看起来相同"):
            accounts.add(db, twin, PASSWORD, "admin")
    accounts.remove(db, "admin")
    assert [a.name for a in accounts.list(db)] == ["卫健局填报", "审核"]


LEGACY = """top = "kept"

[editors]
office = "{hash}"

[connections.analytics]
url = "duckdb:///elsewhere.duckdb"
"""


def test_legacy_secrets_are_read_and_never_written(db, capsys, monkeypatch):
    secrets = accounts.SECRETS
    secrets.write_text(LEGACY.format(hash=accounts.hash_password("legacy-pass")), encoding="utf-8")
    before = secrets.read_bytes()
    assert accounts.verify(db, "office", "legacy-pass", "10.0.0.1") == accounts.Account("office", "importer",
                                                                                         legacy=True)
    monkeypatch.setenv("PLANWATCH_EDITORS", f"env-clerk:{accounts.hash_password('env-pass-1')}")
    assert accounts.verify(db, "env-clerk", "env-pass-1", "10.0.0.1").role == "importer"
    assert _cli(capsys, "add-editor", "new-clerk", "--db", str(db), stdin="clerk-pass")[0] == 0
    assert _cli(capsys, "users", "passwd", "office", "--db", str(db), stdin="office-new-pass")[0] == 0
    assert secrets.read_bytes() == before
    assert accounts.verify(db, "office", "office-new-pass", "10.0.0.1").legacy is False  # the store's copy wins
    assert accounts.verify(db, "office", "legacy-pass", "10.0.0.1") is None
    code, _, err = _cli(capsys, "users", "remove", "env-clerk", "--db", str(db))
    assert code == 2 and "PLANWATCH_EDITORS" in err
    assert {a.name: a.role for a in accounts.list(db)} == {"new-clerk": "importer", "office": "importer",
                                                           "env-clerk": "importer"}


def test_a_damaged_legacy_file_does_not_stop_other_logins(db):
    accounts.SECRETS.write_text("[editors\nbroken", encoding="utf-8")
    accounts.add(db, "admin", PASSWORD, "admin")
    assert accounts.verify(db, "admin", PASSWORD, "c") is not None


# --- logging in ----------------------------------------------------------------------------------------------------

def test_25_wrong_passwords_then_the_right_one_is_refused(db, now):
    accounts.add(db, "clerk", PASSWORD, "admin")
    refused = 0
    for _ in range(25):
        try:
            assert accounts.verify(db, "clerk", "wrong password", "10.0.0.1") is None
        except accounts.LoginRefused:
            refused += 1
    assert refused == 25 - throttle.FREE_PER_USER
    with pytest.raises(accounts.LoginRefused, match="登录失败次数过多,请 2 秒后再试"):
        accounts.verify(db, "clerk", PASSWORD, "10.0.0.1")
    # the owner, elsewhere, is not kept out by someone guessing from one place
    assert accounts.verify(db, "clerk", PASSWORD, "10.0.0.2").name == "clerk"
    with pytest.raises(accounts.LoginRefused, match="登录失败次数过多"):  # the guesser still waits
        accounts.verify(db, "clerk", PASSWORD, "10.0.0.1")
    now[0] += 2.1
    assert accounts.verify(db, "clerk", PASSWORD, "10.0.0.1").name == "clerk"
    assert accounts.verify(db, "clerk", "wrong password", "10.0.0.1") is None  # success cleared the count


def test_back_off_doubles_up_to_the_cap(db, now):
    waits = []
    for _ in range(throttle.FREE_PER_USER + 12):
        try:
            accounts.verify(db, "nobody", "guess-guess", "10.1.0.1")
        except accounts.LoginRefused as exc:
            raise AssertionError("refused while no wait was due") from exc
        record = max(throttle._load(throttle.path(db), now[0]).values(), key=lambda r: r["failures"])
        wait = throttle._wait(record, throttle.FREE_PER_USER, now[0])
        waits.append(wait)
        now[0] += wait
    assert waits[:throttle.FREE_PER_USER + 3] == [0, 0, 0, 0, 2, 4, 8, 16]
    assert waits[-1] == throttle.MAX_WAIT


def test_guesses_spread_over_many_clients_throttle_the_name(db, now):
    accounts.add(db, "clerk", PASSWORD, "admin")
    for i in range(throttle.FREE_PER_NAME):   # one guess from each of 50 places: none is throttled by itself
        assert accounts.verify(db, "clerk", "wrong password", f"198.18.{i // 256}.{i % 256}") is None
    with pytest.raises(accounts.LoginRefused, match="登录失败次数过多,请 2 秒后再试"):
        accounts.verify(db, "clerk", PASSWORD, "10.0.0.1")   # the name waits, from anywhere
    now[0] += 2.1
    assert accounts.verify(db, "clerk", PASSWORD, "10.0.0.1").name == "clerk"   # and its owner's login clears it
    assert accounts.verify(db, "clerk", "wrong password", "198.18.9.9") is None


def test_one_client_guessing_all_night_never_keeps_the_owner_out(db, now):
    """Each client adds at most FREE_PER_USER failures to the name's count over all clients (review: one address
    reached the 50 in 9 hours, then the owner was refused 240 times in 2 hours)."""
    accounts.add(db, "clerk", PASSWORD, "admin")
    for _ in range(throttle.FREE_PER_NAME + 10):   # as fast as the back-off allows
        records = throttle._load(throttle.path(db), now[0])
        now[0] += max((throttle._wait(r, throttle.FREE_PER_USER, now[0]) for r in records.values()), default=0)
        assert accounts.verify(db, "clerk", "wrong password", "203.0.113.5") is None
    assert accounts.verify(db, "clerk", PASSWORD, "198.51.100.20").name == "clerk"


def test_one_client_guessing_many_names_is_throttled_alone(db):
    accounts.add(db, "clerk", PASSWORD, "admin")
    for i in range(throttle.FREE_PER_CLIENT):
        assert accounts.verify(db, f"user{i}", "guess-guess", "203.0.113.9") is None
    with pytest.raises(accounts.LoginRefused):
        accounts.verify(db, "clerk", PASSWORD, "203.0.113.9")
    assert accounts.verify(db, "clerk", PASSWORD, "198.51.100.7").name == "clerk"


def test_unknown_names_cost_the_same_time_as_known_ones(db, now, monkeypatch):
    monkeypatch.setattr(accounts, "ROUNDS", 12)  # the real cost
    accounts.add(db, "clerk", PASSWORD, "admin")

    def timed(name, client):  # CPU time: on a machine shared with other work, wall time mostly measures the others
        start = time.thread_time()
        assert accounts.verify(db, name, "wrong password", client) is None
        return time.thread_time() - start

    known, unknown = [], []
    for i in range(5):  # alternate, each on a fresh client and name record so none is throttled
        now[0] += 10_000
        known.append(timed("clerk", f"k{i}"))
        unknown.append(timed(f"nobody{i}", f"u{i}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.8 < ratio < 1.25, (known, unknown)
    assert min(known) > 0.05  # a real bcrypt check, not a shortcut


def test_overlong_and_odd_passwords_are_refused_without_error(db):
    accounts.add(db, "clerk", PASSWORD, "admin")
    for password in (PASSWORD + "x" * 100, "", "\0" + PASSWORD, "\ud800"):
        assert accounts.verify(db, "clerk", password, "c") is None


def test_tokens_sign_name_expiry_and_password(db, monkeypatch):
    account = accounts.add(db, "clerk", PASSWORD, "reviewer", region="乐清市")
    token = accounts.issue_token(db, account)
    assert accounts.from_token(db, token) == account
    payload, _, signature = token.partition(".")
    forged = accounts._b64(b'{"n": "clerk", "e": 9999999999, "f": "0"}')
    for bad in (None, "", "x", payload + ".AAAA", forged + "." + signature, token + "x", "é.é"):
        assert accounts.from_token(db, bad) is None
    now = time.time()
    monkeypatch.setattr(accounts.time, "time", lambda: now + accounts.TOKEN_HOURS * 3600 + 1)
    assert accounts.from_token(db, token) is None
    monkeypatch.undo()
    accounts.set_password(db, "clerk", "another password")
    assert accounts.from_token(db, token) is None
    token = accounts.issue_token(db, accounts.get(db, "clerk"))
    accounts.remove(db, "clerk")
    assert accounts.from_token(db, token) is None


def test_logout_ends_every_cookie_issued_before_it(db, monkeypatch):
    from planwatch import logouts
    clerk, other = accounts.add(db, "clerk", PASSWORD, "admin"), accounts.add(db, "other", PASSWORD, "admin")
    now = [time.time()]
    monkeypatch.setattr(accounts.time, "time", lambda: now[0])
    this_pc, that_pc, others = (accounts.issue_token(db, a) for a in (clerk, clerk, other))
    now[0] += 60
    accounts.end_tokens(db, "clerk")
    assert accounts.from_token(db, this_pc) is None and accounts.from_token(db, that_pc) is None
    assert accounts.from_token(db, others) == other   # another name's cookies still work
    now[0] += 1
    assert accounts.from_token(db, accounts.issue_token(db, clerk)) == clerk   # a new login's cookie works
    file = logouts.path(db)
    assert "clerk" not in file.read_text(encoding="utf-8") and file.stat().st_mode & 0o777 == 0o600
    now[0] += accounts.TOKEN_HOURS * 3600   # every cookie issued before it has expired: the entry goes
    accounts.end_tokens(db, "other")
    assert len(json.loads(file.read_text(encoding="utf-8"))) == 1


def test_a_cookie_issued_just_before_a_logout_is_void_and_one_just_after_works(db):
    clerk = accounts.add(db, "clerk", PASSWORD, "admin")
    before = accounts.issue_token(db, clerk)
    accounts.end_tokens(db, "clerk")   # within the same second
    time.sleep(0.01)
    after = accounts.issue_token(db, clerk)
    assert accounts.from_token(db, before) is None and accounts.from_token(db, after) == clerk


@pytest.mark.parametrize("damage", ["", "[]", "null", "{", '{"x": "y"}', '{"x": Infinity}', "folder"])
def test_a_damaged_logouts_file_voids_earlier_cookies_and_breaks_nothing(db, damage):
    """Fail closed: every cookie issued before the damage is void; later ones, and passwords, work."""
    from planwatch import logouts
    clerk = accounts.add(db, "clerk", PASSWORD, "admin")
    earlier = accounts.issue_token(db, clerk)
    time.sleep(0.02)
    file = logouts.path(db)
    if damage == "folder":
        file.mkdir()
    else:
        file.write_text(damage, encoding="utf-8")
    time.sleep(0.02)
    assert accounts.from_token(db, earlier) is None
    assert accounts.from_token(db, accounts.issue_token(db, clerk)) == clerk
    assert accounts.verify(db, "clerk", PASSWORD, "10.0.0.1") == clerk
    if damage == "folder":
        with pytest.raises(OSError):   # the page says so in Chinese (login.logout_button)
            accounts.end_tokens(db, "clerk")
    else:
        accounts.end_tokens(db, "clerk")
        assert accounts.from_token(db, earlier) is None


@pytest.mark.parametrize("damage", ["[]", "null", "[1, 2]", '{"k": {"last": "x"}}', '{"k": 1}', "{"])
def test_a_damaged_login_counts_file_starts_the_counts_again(db, damage):
    accounts.add(db, "clerk", PASSWORD, "admin")
    throttle.path(db).write_text(damage, encoding="utf-8")
    assert accounts.verify(db, "clerk", PASSWORD, "10.0.0.1").name == "clerk"


def test_a_login_counts_file_that_cannot_be_used_refuses_in_chinese(db):
    accounts.add(db, "clerk", PASSWORD, "admin")
    throttle.path(db).mkdir()
    with pytest.raises(accounts.LoginRefused, match="登录记录文件 .* 无法读取"):
        accounts.verify(db, "clerk", PASSWORD, "10.0.0.1")


def test_an_ipv6_client_counts_by_its_64_prefix(db, now):
    """A guesser on one IPv6 /64 has 2^64 addresses: they count as one client."""
    accounts.add(db, "clerk", PASSWORD, "admin")
    for i in range(throttle.FREE_PER_USER):
        assert accounts.verify(db, "clerk", "wrong password", f"2001:db8:1:2::{i + 1:x}") is None
    with pytest.raises(accounts.LoginRefused):
        accounts.verify(db, "clerk", "wrong password", "2001:db8:1:2:ffff::9")
    assert accounts.verify(db, "clerk", PASSWORD, "2001:db8:1:3::1").name == "clerk"   # another /64
    assert throttle._client_key("10.0.0.7") == "10.0.0.7" and throttle._client_key("not an address") == "not an address"
    # IPv4 clients passed by a dual-stack proxy as ::ffff:a.b.c.d are each their own client, not one ::/64
    assert (throttle._client_key("::ffff:3.3.3.3"), throttle._client_key("::ffff:9.9.9.9")) == ("3.3.3.3", "9.9.9.9")


# --- the command line ----------------------------------------------------------------------------------------------

def _cli(capsys, *argv, stdin: str | None = None):
    import io
    import sys
    old = sys.stdin
    sys.stdin = io.StringIO((stdin or "") + "\n")
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse
        code = exc.code
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err


def test_users_commands(db, capsys):
    d = ["--db", str(db)]
    assert _cli(capsys, "users", "add", "张家港卫健", "--role", "filler", "--region", "张家港市", "--unit",
                "市卫健委", *d, stdin=PASSWORD)[0] == 0
    assert _cli(capsys, "users", "add", "审核员甲", "--role", "reviewer", "--region", "张家港市", *d,
                stdin=PASSWORD)[0] == 0
    code, _, err = _cli(capsys, "users", "add", "a\nb", "--role", "admin", *d, stdin=PASSWORD)
    assert code == 2 and "含有控制字符或不可见字符" in err   # no one could type it at the login form
    assert _cli(capsys, "users", "add", "管理员 乙", "--role", "admin", *d, stdin=PASSWORD)[0] == 0
    code, out, _ = _cli(capsys, "users", "list", *d)
    assert out.splitlines() == ["张家港卫健\t填报员\t张家港市\t市卫健委", "审核员甲\t审核员\t张家港市\t", "管理员 乙\t管理员\t\t"]
    assert _cli(capsys, "users", "passwd", "审核员甲", *d, stdin="new password")[0] == 0
    assert accounts.verify(db, "审核员甲", "new password", "c") is not None
    assert _cli(capsys, "users", "remove", "管理员 乙", *d)[0] == 0
    assert [a.name for a in accounts.list(db)] == ["张家港卫健", "审核员甲"]


@pytest.mark.parametrize("argv, stdin, message", [
    (["users", "add", "x", "--role", "filler", "--region", "张家港市"], PASSWORD, "填报员必须指定所属责任单位"),
    (["users", "add", "x", "--role", "filler", "--region", "张家港市", "--unit", "市教育"], PASSWORD, "不是张家港市的责任单位"),
    (["users", "add", "x", "--role", "root"], PASSWORD, "角色“root”无效"),
    (["users", "add", "x", "--role", "admin"], "short", "密码至少需要 8 个字符"),
    (["users", "add", "x"], PASSWORD, "命令参数有误:缺少参数:--role"),
    (["users", "add", "x", "--role"], PASSWORD, "参数 --role 需要一个值"),
    (["users", "list", "extra"], None, "无法识别的参数:extra"),
    (["users", "remove", "ghost"], None, "没有账号“ghost”"),
    (["users", "passwd", "ghost"], PASSWORD, "没有账号“ghost”"),
    (["users"], None, "命令参数有误:缺少参数:action"),
    (["add-editor", "x"], "short", "密码至少需要 8 个字符"),
])
def test_cli_refusals_are_chinese_and_change_nothing(db, capsys, argv, stdin, message):
    code, out, err = _cli(capsys, *argv, "--db", str(db), stdin=stdin)
    assert code == 2 and message in err and "Traceback" not in err + out
    assert not accounts.store_path(db).exists()


def test_add_editor_keeps_working_and_cannot_demote_others(db, capsys):
    assert _cli(capsys, "add-editor", "办公室", "--db", str(db), stdin=PASSWORD)[0] == 0
    assert accounts.get(db, "办公室") == accounts.Account("办公室", "importer")
    assert _cli(capsys, "add-editor", "办公室", "--db", str(db), stdin="second password")[0] == 0
    assert accounts.verify(db, "办公室", "second password", "c") is not None
    accounts.add(db, "boss", PASSWORD, "admin")
    code, _, err = _cli(capsys, "add-editor", "boss", "--db", str(db), stdin=PASSWORD)
    assert code == 2 and "已是管理员" in err


def test_throttling_is_shared_with_other_processes(fresh_db, monkeypatch, tmp_path):
    import subprocess
    import sys
    monkeypatch.setattr(accounts, "ROUNDS", 4)
    monkeypatch.setattr(accounts, "SECRETS", tmp_path / "secrets.toml")
    accounts.add(fresh_db, "clerk", PASSWORD, "admin")
    now = [time.time() - 260]  # 12 failures spaced as the back-off allows (254 s): the next must wait 256 s
    monkeypatch.setattr(throttle, "clock", lambda: now[0])
    for _ in range(throttle.FREE_PER_USER + 7):
        records = throttle._load(throttle.path(fresh_db), now[0])
        now[0] += max((throttle._wait(r, throttle.FREE_PER_USER, now[0]) for r in records.values()), default=0)
        assert accounts.verify(fresh_db, "clerk", "wrong password", "10.0.0.1") is None
    assert time.time() - 10 < now[0] < time.time()
    script = ("import sys; from planwatch import accounts\n"
              "try: print(accounts.verify(sys.argv[1], 'clerk', sys.argv[2], '10.0.0.1'))\n"
              "except accounts.LoginRefused as exc: print(exc)")
    out = subprocess.run([sys.executable, "-c", script, str(fresh_db), PASSWORD], capture_output=True, text=True,
                         timeout=60, env={**__import__("os").environ, "PYTHONPATH": str(accounts.ROOT)})
    assert out.stdout.startswith("登录失败次数过多"), out.stdout + out.stderr


def test_accounts_added_by_two_processes_at_once_all_land(fresh_db, tmp_path):
    import subprocess
    import sys
    script = ("import sys; from planwatch import accounts\naccounts.ROUNDS = 4\n"
              "for i in range(6): accounts.add(sys.argv[1], f'{sys.argv[2]}{i}', 'password-1', 'admin')")
    env = {**__import__("os").environ, "PYTHONPATH": str(accounts.ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(fresh_db), prefix], env=env) for prefix in "ab"]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert sorted(a.name for a in accounts.list(fresh_db) if not a.legacy) == [f"{p}{i}" for p in "ab" for i in range(6)]


@pytest.mark.parametrize("text", ["[[account]\nname = ", "account = 3", '[[account]]\nname = "x"\nrole = "admin"',
                                  '[[account]]\nname = "x"\nrole = "root"\nhash = "h"'])
def test_a_damaged_accounts_file_is_reported(db, text):
    accounts.store_path(db).write_text(text, encoding="utf-8")
    with pytest.raises(accounts.AccountError, match="账号文件 .* 已损坏"):
        accounts.verify(db, "clerk", PASSWORD, "c")


def test_password_checks_run_one_at_a_time(db, monkeypatch):
    import threading
    accounts.add(db, "clerk", PASSWORD, "admin")
    running, most = [0], [0]
    real = accounts.bcrypt.checkpw

    def counted(password, hashed):
        running[0] += 1
        most[0] = max(most[0], running[0])
        time.sleep(0.05)
        running[0] -= 1
        return real(password, hashed)

    monkeypatch.setattr(accounts.bcrypt, "checkpw", counted)
    threads = [threading.Thread(target=accounts.verify, args=(db, "clerk", "wrong password", f"c{i}")) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1


@pytest.mark.parametrize("peer,forwarded,trusted,client", [
    ("203.0.113.5", None, "", "203.0.113.5"),  # no proxy
    ("203.0.113.5", "1.2.3.4", "", "203.0.113.5"),  # a header from an untrusted peer is ignored
    ("10.0.0.1", "198.51.100.7", "10.0.0.1", "198.51.100.7"),  # behind the trusted proxy
    ("10.0.0.1", "6.6.6.6, 198.51.100.7", "10.0.0.1", "198.51.100.7"),  # the client forged a left entry
    ("10.0.0.1", "198.51.100.7, 10.0.0.2", "10.0.0.1, 10.0.0.2", "198.51.100.7"),  # two proxies
    ("10.0.0.1", "", "10.0.0.1", "10.0.0.1"),
])
def test_client_address_behind_a_trusted_proxy(peer, forwarded, trusted, client):
    assert login.client_address(peer, forwarded, trusted) == client

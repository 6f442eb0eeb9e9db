"""A button acts on the item the user saw (planwatch.choice): when the list under a selectbox changes between the
look and the click (another user approved the batch on screen, an import added a batch, an account was added), the
click is refused with choice.STALE and nothing is written; a second click, on the list now shown, acts."""
from __future__ import annotations

import pytest
from apptest import open_page, texts, use_database_with_accounts
from conftest import import_rows, one, rows

from planwatch import accounts, choice, importer, review
from planwatch import db as db_mod
from planwatch import round as round_mod

LIFE, INFANT = "zhangjiagang-women-k01", "zhangjiagang-children-k02"


@pytest.fixture(scope="module", autouse=True)
def app_db(demo_db, tmp_path_factory):
    path = use_database_with_accounts(demo_db, tmp_path_factory.mktemp("stale"), [
        ("wj", "filler", "张家港市", "市卫健委"), ("tj", "reviewer", "张家港市", None), ("admin", "admin", None, None),
        ("甲", "reviewer", "张家港市", None)])
    import datetime as dt
    round_mod.open_round(path, 2025, dt.date(2026, 3, 31), "admin")
    return path


def login(page: str, name: str):
    at = open_page(page)
    at.text_input[0].input(name)
    at.text_input[1].input("password1")
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def submit(db, indicator: str, value: float) -> int:
    data = f"indicator_id,year,value\n{indicator},2025,{value}\n"
    with db_mod.open_reader(db) as reader:
        checked = importer.check(reader.cursor(), data.encode(), "page.csv")
        return round_mod.store(reader.cursor(), db, checked, accounts.get(db, "wj"))


def status(db, batch: int) -> str:
    return one(db, "SELECT status FROM import_batch WHERE batch_id = ?", [batch])[0]


def test_a_review_of_a_batch_another_reviewer_decided_falls_on_nothing(app_db):
    seen, other = submit(app_db, LIFE, 86.1), submit(app_db, INFANT, 2.1)  # (持续提升 from 85.7: a rise, met)
    at = login("review", "tj")
    at.selectbox(key="review_batch").set_value(seen).run()
    review.review(app_db, seen, accounts.get(app_db, "admin"), approve=True, note="")  # meanwhile, another reviewer
    at.text_area[0].input("请附出处")
    [b for b in at.button if b.label == "退回"][0].click().run()
    assert choice.STALE in texts(at) and not at.exception
    assert (status(app_db, seen), status(app_db, other)) == ("已通过", "待审核")
    shown = at.selectbox(key="review_batch").value  # looked again: the batch now on screen is the one acted on
    assert at.text_area[0].value == ""  # its own reason box: the reason written for the other batch stays there
    at.text_area[0].input("请附出处")
    [b for b in at.button if b.label == "退回"][0].click().run()
    assert status(app_db, shown) == "已退回"


def test_an_undo_after_an_import_added_a_batch_undoes_the_chosen_one(app_db):
    # the chosen batch is still listed: the click acts on it, not on the newer batch now first in the list
    assert import_rows(app_db, [("pingyang-women-k03", 2024, 66.6)], name="chosen.csv") == 0
    chosen = one(app_db, "SELECT max(batch_id) FROM import_batch")[0]
    at = login("data_entry", "admin")
    at.selectbox(key="undo_batch").set_value(chosen).run()
    assert import_rows(app_db, [("pingyang-women-k05", 2024, 30.1)], name="later.csv") == 0  # another office import
    later = one(app_db, "SELECT max(batch_id) FROM import_batch")[0]
    [b for b in at.button if b.label == "撤销该批次"][0].click().run()
    assert choice.STALE not in texts(at)
    assert rows(app_db, "SELECT batch_id FROM import_batch WHERE batch_id IN (?, ?) AND undone_at IS NOT NULL",
                [chosen, later]) == [(chosen,)]


def test_an_account_removed_by_another_admin_is_not_replaced_by_the_next_one(app_db):
    # 甲 chosen and 确认 ticked (a rerun); meanwhile another admin removes 甲: the box now shows another account,
    # says so, and the click is refused; nothing else is removed
    accounts.add(app_db, "丙", "password1", "reviewer", "张家港市", None)
    at = login("accounts", "admin")
    at.selectbox(key="remove_name").set_value("丙").run()
    accounts.remove(app_db, "丙")  # another admin, meanwhile
    at.checkbox(key="remove_confirm").check().run()
    assert choice.STALE_SHOWN in texts(at)
    shown = at.selectbox(key="remove_name").value
    [b for b in at.button if b.label == "删除账号"][0].click().run()
    assert choice.STALE in texts(at) and accounts.get(app_db, shown) is not None


def test_a_review_of_the_last_batch_another_reviewer_decided_says_it_went(app_db):
    # the only batch in the queue, approved by another while on screen: the click fell on an empty queue and the
    # page said only "没有待审核的提交", not that the return was not made
    for (pending,) in rows(app_db, "SELECT batch_id FROM import_batch WHERE status = '待审核' AND undone_at IS NULL"):
        review.review(app_db, pending, accounts.get(app_db, "admin"), approve=True, note="")
    only = submit(app_db, LIFE, 86.2)
    at = login("review", "tj")
    assert at.selectbox(key="review_batch").value == only
    review.review(app_db, only, accounts.get(app_db, "admin"), approve=True, note="")
    at.text_area[0].input("请附出处")
    [b for b in at.button if b.label == "退回"][0].click().run()
    assert choice.GONE in texts(at) and "没有待审核的提交。" in texts(at) and not at.exception
    assert status(app_db, only) == "已通过"
    at.run()  # said once: a later look at the empty queue is just that
    assert choice.GONE not in texts(at)

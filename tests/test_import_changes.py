"""The preview's and the command line's 新增 / 修改 / 不变 count a row as 不变 only when everything it stores is
the same: a re-import that changes only a row's note (备注), 分子/分母, 原因说明 or 整改措施 is 修改 (it was
reported as 不变 though the new note is stored and shown)."""
from __future__ import annotations

from conftest import one

from planwatch import cli, db, importer

RATE = "pingyang-women-k03"  # a % indicator
HEADER = "indicator_id,year,value,备注,分子,分母,原因说明,整改措施\n"
FIRST = f"{RATE},2022,95.5,来自统计年鉴,191,200,原因甲,措施甲\n"


def counts_and_notes(path, text: str) -> tuple[dict, list]:
    with db.open_reader(path) as reader:
        checked = importer.check(reader.cursor(), (HEADER + text).encode("utf-8"), "again.csv")
        counts = importer.change_counts(reader.cursor(), checked)
        frame = importer.preview(reader.cursor(), checked)
    assert dict(frame["change"].value_counts()) == counts  # the page's preview says the same
    return counts, frame[["old_note", "new_note"]].values.tolist()


def test_a_changed_note_or_companion_field_is_a_change(fresh_db, tmp_path, capsys):
    first = tmp_path / "first.csv"
    first.write_text(HEADER + FIRST, encoding="utf-8")
    assert cli.main(["import", str(first), "--db", str(fresh_db)]) == 0

    assert counts_and_notes(fresh_db, FIRST) == ({"不变": 1}, [["来自统计年鉴", "来自统计年鉴"]])
    for changed in (FIRST.replace("来自统计年鉴", "统计公报"), FIRST.replace("191,200", "190,200"),
                    FIRST.replace("原因甲", "原因乙"), FIRST.replace("措施甲", ""),
                    FIRST.replace("来自统计年鉴", "")):
        counts, _ = counts_and_notes(fresh_db, changed)
        assert counts == {"修改": 1}, changed

    again = tmp_path / "again.csv"
    again.write_text(HEADER + FIRST.replace("来自统计年鉴", "统计公报"), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["import", str(again), "--db", str(fresh_db)]) == 0
    assert "1 行(修改 1 条)" in capsys.readouterr().out
    assert one(fresh_db, "SELECT value, note FROM v_observation WHERE indicator_id = ? AND year = 2022", [RATE]) \
        == (95.5, "统计公报")

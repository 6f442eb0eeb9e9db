"""pw_num, the way every number in a status or warning sentence is printed, takes a fast path (a BIGINT or DECIMAL cast)
below 10^12; it must print exactly what printf('%.2f') with the trailing zeros cut
prints, for every double."""
import duckdb
import pytest

from planwatch.paths import VIEWS_DIR

# the definition the fast path replaced: the reference
PRINTF = r"regexp_replace(printf('%.2f', round(x, 2) + 0.0), '\.?0+$', '')"


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute((VIEWS_DIR / "00_macros.sql").read_text(encoding="utf-8"))
    yield con
    con.close()


@pytest.mark.parametrize(("x", "text"), [
    (53.0, "53"), (53.5, "53.5"), (7.25, "7.25"), (100.0, "100"), (-12.3, "-12.3"), (0.05, "0.05"),
    (-0.004, "0"), (-0.0, "0"), (0.495, "0.49"), (0.995, "0.99"), (1.005, "1"), (-1.5, "-1.5"),
    (2.996, "3"), (-0.996, "-1"), (7.5, "7.5"), (7.05, "7.05"), (999_999_999_999.99, "999999999999.99"), (1e12, "1000000000000"), (float("inf"), "inf"), (None, "—"),
])
def test_numbers_as_a_reader_writes_them(con, x, text):
    # 0.495 and 0.995 are stored just below the half: round(x, 2) gives .49 and .99, as printf does
    assert con.execute("SELECT pw_num(?::DOUBLE)", [x]).fetchone()[0] == text


def test_the_fast_path_prints_what_printf_prints(con):
    differing = con.execute(f"""
        WITH v AS (
            SELECT r / 1000.0 AS x FROM range(-300000, 300000) t(r)               -- every thousandth near 0
            UNION ALL SELECT r / 100.0 + 0.005 FROM range(-100000, 100000) t(r)   -- the .xx5 boundaries
            UNION ALL SELECT r / 100.0 - 0.005 FROM range(-100000, 100000) t(r)
            UNION ALL SELECT (CAST(hash(r) % 2000000 AS BIGINT) - 1000000) / 1000.0
                             * pow(10, CAST(hash(r + 7) % 16 AS INTEGER) - 4)
                FROM range(500000) t(r)                                            -- 10^-4 … 10^11, both signs
            UNION ALL SELECT unnest([999999999999.995, 1e12 - 0.001, 'nan'::DOUBLE, '-inf'::DOUBLE, 1e300])
        )
        SELECT count(*) FILTER (WHERE pw_num(x) IS DISTINCT FROM {PRINTF}), count(*) FROM v""").fetchone()
    assert differing == (0, 1_500_005)


def test_a_share_beyond_any_real_one_is_shown_not_a_traceback():
    """ui.rate rounds with Decimal (28 digits): a progress of 5e300 (a denominator of 1e-300, now refused at import)
    or an infinite one must still print."""
    from planwatch import ui
    assert ui.rate(0.125) == "13%" and ui.rate(-0.001) == "0%"
    assert ui.rate(5e300) == "5e+302%" and ui.rate(float("inf")) == "inf%" and ui.rate(-2e13) == "-2e+15%"

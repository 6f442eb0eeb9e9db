"""Peak memory and time of the worst uploads (数据填报): each file is imported by a real
`python -m planwatch import` process whose resident memory is sampled every 10 ms (psutil).

    python bench/upload_memory.py   # one line per case: peak RSS, wall and CPU time, exit code, last message

Wall time includes the process start (about 1 s of imports on an idle machine); CPU time shows the cost when
the machine is busy. The reading and checking are capped at 15 s of wall time (planwatch.upload_read).
"""
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import psutil
from common import ROOT, demo_database

sys.path.insert(0, str(ROOT / "tests"))
from test_upload_bounds import LAUGHS, GOOD_ROWS, raw_xlsx, with_prefix  # noqa: E402

K03 = "pingyang-women-k03"


def shared_string_bomb(path: Path, size: int = 1500 * 2**20) -> None:
    """One shared string of 1.5 GB, deflated to about 1.5 MB."""
    base = raw_xlsx(GOOD_ROWS, shared=["x"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        with zipfile.ZipFile(__import__("io").BytesIO(base)) as source:
            for info in source.infolist():
                if info.filename != "xl/sharedStrings.xml":
                    target.writestr(info.filename, source.read(info))
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                         b'2006/main"><si><t>')
            chunk = b"x" * 2**20
            for _ in range(size // len(chunk)):
                member.write(chunk)
            member.write(b"</t></si></sst>")


def largest_sheet() -> bytes:
    """As many value cells as the limits allow: 20,000 rows × 20 columns (400,000 cells, 10 MB of XML)."""
    columns = [chr(65 + i) for i in range(20)]
    rows = [GOOD_ROWS] + [f'<row r="{row}">' + "".join(f'<c r="{col}{row}"><v>{row}</v></c>' for col in columns)
                          + "</row>" for row in range(3, 20_001)]
    return raw_xlsx("".join(rows))


def cases(folder: Path):
    yield "valid csv (1 row)", (folder / "ok.csv", f"指标编号,年份,数值\n{K03},2023,55\n".encode())
    yield "styled cell at XFD1048576", (folder / "far.xlsx",
                                         raw_xlsx(GOOD_ROWS + '<row r="1048576"><c r="XFD1048576" s="1"/></row>'))
    bomb = folder / "bomb.xlsx"
    shared_string_bomb(bomb)
    yield f"1.5 GB shared string ({bomb.stat().st_size / 2**20:.1f} MB file)", (bomb, None)
    yield "1,000,000 shared strings", (folder / "strings.xlsx", raw_xlsx(GOOD_ROWS, [str(i) for i in range(10**6)]))
    yield "200,000 shared strings", (folder / "s200k.xlsx", raw_xlsx(GOOD_ROWS, [f"文字{i}" for i in range(199_999)]))
    yield "DTD entity (billion laughs)", (folder / "dtd.xlsx", with_prefix(raw_xlsx(GOOD_ROWS), "xl/workbook.xml",
                                                                            LAUGHS))
    yield "sheet at the cell limit (20,000 × 20)", (folder / "wide.xlsx", largest_sheet())
    note = "长" * (5 * 2**20 // 3 - 100)
    yield "5 MB csv, one note", (folder / "note.csv", f'指标编号,年份,数值,备注\n{K03},2023,55,"{note}"\n'.encode())
    yield "5 MB csv, 120,000 rows", (folder / "rows.csv",
                                     ("指标编号,年份,数值\n" + f"{K03},2023,55\n" * 120_000)[:5 * 2**20].encode())
    yield "/dev/zero", (Path("/dev/zero"), None)


def measure(path: Path, db: Path) -> tuple[float, float, float, int, str]:
    """Peak RSS (MB), wall time and CPU time (s) of one import process, its exit code and last message."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "planwatch", "import", str(path), "--db", str(db)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watched, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.01)
    out, err = proc.communicate()
    took = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
    message = (err or out).decode().strip().splitlines()
    return peak / 2**20, took, cpu, proc.returncode, message[-1][:60] if message else ""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = demo_database(folder)
        print(f"{'case':40} {'peak RSS':>9} {'wall':>7} {'cpu':>6}  exit  message")
        for name, (path, data) in cases(Path(folder)):
            if data is not None:
                path.write_bytes(data)
            peak, took, cpu, code, message = measure(path, db)
            print(f"{name:40} {peak:7.0f}MB {took:6.2f}s {cpu:5.2f}s  {code:4}  {message}", flush=True)


if __name__ == "__main__":
    main()

"""The candidate rows of an uploaded plan (规划导入), found by a child process under the reader's limits.

Finding targets costs more than linear in what a document holds: a 1 MB text of 十三五 review lines took 128 CPU-s
and 2.1 GB in the app (each figure of a review line compared with every candidate), and lines dense with figures
but no target words 0.8 s a line. The app's process serves every visitor, so the search runs in
``python -m planwatch.extract.bounded``, limited to reading.READER_MEMORY and EXTRACT_SECONDS; a plan of the seed
documents' size takes well under a second.
"""
from __future__ import annotations

import json
import logging
import subprocess
import sys

from planwatch.extract import reading
from planwatch.paths import ROOT

EXTRACT_SECONDS = 30

LOG = logging.getLogger(__name__)


def extract_bounded(lines: list[str], name: str) -> list[dict]:
    """extract_lines(lines) in a child process; a Chinese ReadError when it runs out of time or memory."""
    try:
        done = subprocess.run([sys.executable, "-m", "planwatch.extract.bounded", str(reading.READER_MEMORY)],
                              input=json.dumps(lines, ensure_ascii=False).encode("utf-8"), capture_output=True,
                              timeout=EXTRACT_SECONDS, cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise reading.ReadError(f"{name} 的指标识别超过 {EXTRACT_SECONDS} 秒仍未完成,已停止(数字过多的段落或表格过多);"
                                "请只上传规划正文") from None
    if done.returncode == 0:
        return json.loads(done.stdout)["rows"]
    if b"MemoryError" in done.stderr:
        raise reading.ReadError(f"{name} 的指标识别超过 {reading.READER_MEMORY // 2**20} MB 内存,已停止;"
                                "请只上传规划正文")
    LOG.error("plan extraction failed for %s: %s", name, done.stderr.decode("utf-8", "replace")[-2000:])
    raise reading.ReadError(f"{name} 的指标识别出错,已停止(已记入服务器日志)")


if __name__ == "__main__":  # the child: limits itself, reads the lines as JSON on stdin, writes the rows
    from planwatch.extract import extract_lines

    reading.limit_self(int(sys.argv[1]))
    json.dump({"rows": extract_lines(json.load(sys.stdin))}, sys.stdout, ensure_ascii=False)

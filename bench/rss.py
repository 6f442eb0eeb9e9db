"""Peak resident memory of a process tree (a process and all its descendants), sampled every few milliseconds.

    with PeakRss() as peak:          # this process and its children (e.g. the explorer's query workers)
        ...
    peak.total, peak.largest_child  # bytes: the tree's largest sum, the largest single child

PeakRss(only="work.duckdb") samples only the descendants whose command line contains that text (the workers of
one database file), without the process itself.
"""
from __future__ import annotations

import os
import threading

import psutil


class PeakRss:
    def __init__(self, pid: int | None = None, only: str | None = None, interval: float = 0.005):
        self.root = psutil.Process(pid or os.getpid())
        self.only = only
        self.interval = interval
        self.total = 0
        self.largest_child = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            total, largest = 0, 0
            for process in [self.root, *self.root.children(recursive=True)]:
                try:
                    if self.only is not None and (process is self.root or self.only not in process.cmdline()):
                        continue
                    rss = process.memory_info().rss
                except psutil.Error:  # ended between listing and reading
                    continue
                total += rss
                if process.pid != self.root.pid:
                    largest = max(largest, rss)
            self.total, self.largest_child = max(self.total, total), max(self.largest_child, largest)
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

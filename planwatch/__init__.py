"""planwatch: monitoring of women's and children's development plans (妇女/儿童发展规划监测)."""
import os
import time

# The committees' clock: a deadline ends at Beijing midnight and every time shown (提交时间, 开启时间 …) reads as
# Beijing time, also on a server whose clock is UTC (a cloud machine). An operator's own TZ is kept; DuckDB's
# now() and current_date follow TZ (its TimeZone setting defaults to it).
os.environ.setdefault("TZ", "Asia/Shanghai")
if hasattr(time, "tzset"):
    time.tzset()

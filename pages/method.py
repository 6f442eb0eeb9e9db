"""方法说明: the progress and warning method (docs/method.md) with the thresholds in force."""
import re

import streamlit as st

from planwatch import ui
from planwatch.paths import ROOT

ui.page_filters()
thresholds = ui.query("method_thresholds")
values = dict(zip(thresholds["key"], thresholds["value"]))
SHARES = ("approx_tolerance", "swing_relative", "noise_relative", "basic_gap_relative",  # shown as percentages
          "precision_cap_relative")
values |= {f"{k}_pct": f"{v:.0%}" for k, v in values.items() if k in SHARES}
values |= {k: f"{v:g}" for k, v in values.items() if not isinstance(v, str)}

text = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
text = text[text.index("## 1."):]  # the introduction speaks of the placeholders; the page shows the values
st.title("方法说明")
st.markdown(re.sub(r"\{\{(\w+)\}\}", lambda m: values[m[1]], text))

st.subheader("现行阈值")
ui.static_table(thresholds.rename(columns={"key": "参数", "value": "数值", "label": "名称", "description": "含义"}))

"""The overview's trend chart as SVG, drawn on the server by matplotlib in the font the project ships.

Text is drawn as paths (`svg.fonttype = "path"`): the browser needs no Chinese font of its own to show it.
"""

from __future__ import annotations

import io
import threading

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from supervisor_bot.core.ledger import PROGRESS_ORDER
from supervisor_bot.exports.cjk_font import cjk_rc
from supervisor_bot.exports.progress_chart import COLOURS
from supervisor_bot.services.dashboard import TrendPoint
from supervisor_bot.views import fmt

_LOCK = threading.Lock()  # matplotlib's rcParams are global: one figure at a time


def _label(round_id: str) -> str:
    return fmt.round_name(round_id).split("年", 1)[-1]


def trend_svg(trend: tuple[TrendPoint, ...]) -> bytes:
    """Measures by progress, round after round, as stacked bars (the live round last)."""
    with _LOCK, cjk_rc(), matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "dashboard"}):
        figure = Figure(figsize=(9.0, 3.4), dpi=100, layout="constrained")
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        xs = list(range(len(trend)))
        series = [[p.counts.get(progress, 0) for p in trend] for progress in PROGRESS_ORDER]
        bottom = [0] * len(trend)
        for progress, counts in zip(PROGRESS_ORDER, series, strict=True):
            axes.bar(xs, counts, 0.7, bottom=bottom, label=progress.label, color=COLOURS[progress])
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
        step = max(1, len(trend) // 8)
        axes.set_xticks(xs[::step], [_label(p.round_id) for p in trend][::step])
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel("措施数")
        axes.set_xlim(-0.6, max(len(xs), 8) - 0.4)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        out = io.BytesIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()

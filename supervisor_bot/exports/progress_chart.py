"""The digest's chart: how far each section of the plan has come, as stacked bars of measures by progress."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from supervisor_bot.core.ledger import PROGRESS_ORDER, Digest, Progress
from supervisor_bot.exports.cjk_font import cjk_rc

WIDTH_INCHES, HEIGHT_INCHES, DPI = 12.0, 7.0, 100  # 1200 × 700 px

COLOURS: dict[Progress, str] = {
    Progress.DONE: "#2E7D32",  # green
    Progress.IN_PROGRESS: "#1F77B4",  # blue
    Progress.BLOCKED: "#E6550D",  # orange-red
    Progress.NOT_STARTED: "#9E9E9E",  # grey
    Progress.UNREPORTED: "#D9D9D9",  # light grey
}
_TEXT_COLOURS: dict[Progress, str] = {
    Progress.DONE: "white",
    Progress.IN_PROGRESS: "white",
    Progress.BLOCKED: "white",
    Progress.NOT_STARTED: "black",
    Progress.UNREPORTED: "black",
}
_MIN_LABELLED_SHARE = 0.035  # a segment narrower than this share of the axis gets no number


def section_label(label: str, title: str) -> str:
    return f"{label}、{title}"


def progress_figure(digest: Digest) -> Figure:
    """The chart as a drawn figure (every text already laid out in the Chinese font)."""
    with cjk_rc():
        figure = _build(digest)
        figure.canvas.draw()  # lay out (and create the tick labels) while the Chinese font is in effect
    return figure


def _build(digest: Digest) -> Figure:
    """The chart, undrawn: call (and draw or save) inside `cjk_rc()` for its text to be in the Chinese font."""
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    sections = digest.sections
    positions = list(range(len(sections)))
    totals = [sum(s.counts.get(p, 0) for p in PROGRESS_ORDER) for s in sections]
    longest = max(totals, default=0)
    left = [0] * len(sections)
    for progress in PROGRESS_ORDER:
        counts = [s.counts.get(progress, 0) for s in sections]
        bars = axes.barh(
            positions,
            counts,
            left=left,
            height=0.6,
            color=COLOURS[progress],
            edgecolor="white",
            linewidth=0.8,
        )
        for bar, count in zip(bars, counts, strict=True):
            if count > 0 and count >= _MIN_LABELLED_SHARE * longest:
                axes.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(count),
                    ha="center",
                    va="center",
                    fontsize=10,
                    color=_TEXT_COLOURS[progress],
                )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    for position, total in zip(positions, totals, strict=True):
        axes.text(total + longest * 0.01, position, f"{total}", va="center", fontsize=10, color="#333333")
    axes.set_yticks(positions, labels=[section_label(s.label, s.title) for s in sections], fontsize=11)
    axes.invert_yaxis()  # the first section on top
    axes.set_xlim(0, max(1.0, longest * 1.08))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("措施数（项）", fontsize=11)
    axes.set_title(digest.title, fontsize=15, pad=12)
    axes.grid(axis="x", color="#E0E0E0", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if not sections:
        axes.text(0.5, 0.5, "暂无数据", transform=axes.transAxes, ha="center", va="center", fontsize=14)
    handles = [Patch(facecolor=COLOURS[p], label=p.label) for p in PROGRESS_ORDER]  # also with no bars drawn
    figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, fontsize=11)
    return figure


def render_progress(digest: Digest, path: Path) -> None:
    """Write the progress-by-section chart as a PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with cjk_rc():
        figure = _build(digest)
        figure.savefig(path, format="png", dpi=DPI, facecolor="white")

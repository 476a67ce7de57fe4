"""A Chinese font for charts: the Noto Sans CJK SC that mplfonts ships, so no system fonts are needed."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

FONT_PACKAGE = "mplfonts"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
_FALLBACK_FAMILY = "DejaVu Sans"  # matplotlib's own font, for any glyph the CJK font lacks


class CJKFontMissingError(RuntimeError):
    """The bundled Chinese font cannot be found."""


def cjk_font_path() -> Path:
    """Where the bundled Noto Sans CJK SC font is; a clear error if the mplfonts package is missing."""
    try:
        traversable = resources.files(FONT_PACKAGE) / "fonts" / FONT_FILE
    except ImportError as error:  # ModuleNotFoundError, or mplfonts failing to import its own dependencies
        raise CJKFontMissingError(
            f"charts need the '{FONT_PACKAGE}' package for their Chinese font ({FONT_FILE}); "
            f"install it with: pip install {FONT_PACKAGE}  ({error})"
        ) from error
    path = Path(str(traversable))
    if not path.is_file():
        raise CJKFontMissingError(f"the '{FONT_PACKAGE}' package is installed but has no fonts/{FONT_FILE} ({path})")
    return path


@functools.cache
def cjk_font_family() -> str:
    """Register the bundled font with matplotlib (once) and return its family name, e.g. "Noto Sans CJK SC"."""
    from matplotlib.font_manager import FontProperties, fontManager  # matplotlib: only where a chart is drawn

    path = cjk_font_path()
    fontManager.addfont(str(path))
    return str(FontProperties(fname=str(path)).get_name())


@contextlib.contextmanager
def cjk_rc() -> Iterator[None]:
    """Build and draw a figure inside this block for its text to use the Chinese font; rcParams are restored after."""
    import matplotlib

    family = cjk_font_family()
    with matplotlib.rc_context({"font.family": [family, _FALLBACK_FAMILY], "axes.unicode_minus": False}):
        yield

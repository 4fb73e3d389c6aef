"""Charts: Vega-Lite specifications compiled to SVG here, inlined in the page.

Why Vega-Lite through vl-convert (see docs/pages.md): a chart is a small declarative
specification (data + marks + encodings) that we build from the JSON output, and
vl-convert-python compiles it to SVG in-process with Vega's own renderer bundled in one
wheel (no browser, no Node.js, no network). The page then carries plain SVG: no script
runs when it is opened, it prints crisply, and text in the chart is real text. Vega's SVG
carries ARIA roles; we add ``role="img"`` and the chart's description to the root.

Colours are the Okabe-Ito palette, distinguishable with the common colour-vision
deficiencies; status is also always written in words beside the colour.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

#: Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

STATUS_COLOURS = {
    "met": OKABE_ITO["bluish_green"],
    "pending": OKABE_ITO["sky_blue"],
    "late": OKABE_ITO["orange"],
    "overdue": OKABE_ITO["vermillion"],
    "breached": OKABE_ITO["reddish_purple"],
    "exempt": OKABE_ITO["grey"],
}

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier, never fetched
VEGA_LITE_VERSION = "5.21"

_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


def base_config() -> dict[str, Any]:
    """Shared look: readable font sizes, no chart border, UTC everywhere (dates are days)."""
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "labelColor": "#1b1b1b",
            "titleColor": "#1b1b1b",
            "gridColor": "#e4e4e4",
        },
        "legend": {"labelFontSize": 12, "titleFontSize": 12},
        "title": {"fontSize": 14, "anchor": "start"},
    }


def svg(spec: dict[str, Any], description: str) -> Markup:
    """Compile a Vega-Lite spec to an inline SVG element with ``role="img"`` and an
    ``aria-label`` giving ``description``."""
    import vl_convert

    full = {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description,
        "config": base_config(),
        "background": "white",
        **spec,
    }
    # allowed_base_urls=[]: the spec carries its data inline; nothing may be fetched.
    text = vl_convert.vegalite_to_svg(full, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[])
    label = str(escape(description))

    def root(match: re.Match) -> str:
        attributes = match.group(1)
        return f'<svg{attributes} role="img" aria-label="{label}" focusable="false">'

    return Markup(_SVG_OPEN.sub(root, text, count=1))


__all__ = ["svg", "STATUS_COLOURS", "OKABE_ITO", "base_config"]

"""The premises trace as a picture: an SVG drawn on the server (no script, no CDN), one column
per hop, arrows labelled with animal counts."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from earmark.trace.selectors.premises import PremisesTrace, links_by_hop

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 180, 46, 90, 26, 20
GREEN = "#1f6f43"
KIND_COLOURS = {
    "farm": "#e7f4ec",
    "household": "#eef6ff",
    "slaughterhouse": "#fde8e6",
    "market": "#fff4d6",
    "disposal": "#eeeeee",
}


def _el(name: str, content: str = "", **attrs: object) -> str:
    """One SVG element; attribute names use _ for -, values are escaped."""
    text = "".join(
        f" {key.replace('_', '-')}={quoteattr(str(value))}" for key, value in attrs.items()
    )
    return f"<{name}{text}>{content}</{name}>" if content else f"<{name}{text}/>"


def trace_svg(trace: PremisesTrace) -> str:
    columns = links_by_hop(trace)
    positions: dict[str, tuple[int, int]] = {}
    for column, hop in enumerate(columns):
        for row, node in enumerate(sorted(columns[hop], key=lambda n: n.code)):
            positions[node.code] = (
                MARGIN + column * (BOX_W + GAP_X),
                MARGIN + row * (BOX_H + GAP_Y),
            )
    width = MARGIN * 2 + max(1, len(columns)) * (BOX_W + GAP_X) - GAP_X
    height = MARGIN * 2 + max(len(c) for c in columns.values()) * (BOX_H + GAP_Y) - GAP_Y
    arrow = _el(
        "marker",
        _el("path", d="M0,0 L10,5 L0,10 z", fill=GREEN),
        id="arrow",
        viewBox="0 0 10 10",
        refX=9,
        refY=5,
        markerWidth=7,
        markerHeight=7,
        orient="auto-start-reverse",
    )
    parts = [_el("defs", arrow)]
    for link in trace.links.values():
        if link.origin not in positions or link.destination not in positions:
            continue
        (x1, y1), (x2, y2) = positions[link.origin], positions[link.destination]
        start = (x1 + BOX_W, y1 + BOX_H // 2) if x2 > x1 else (x1, y1 + BOX_H // 2)
        end = (x2, y2 + BOX_H // 2) if x2 > x1 else (x2 + BOX_W, y2 + BOX_H // 2)
        line = _el(
            "line",
            x1=start[0],
            y1=start[1],
            x2=end[0],
            y2=end[1],
            stroke=GREEN,
            stroke_width=2,
            marker_end="url(#arrow)",
        )
        label = _el(
            "text",
            str(link.animals),
            x=(start[0] + end[0]) // 2,
            y=(start[1] + end[1]) // 2 - 4,
            text_anchor="middle",
        )
        parts.append(
            _el(
                "g",
                line + label,
                data_from=link.origin,
                data_to=link.destination,
                data_animals=link.animals,
            )
        )
    for node in trace.nodes.values():
        x, y = positions[node.code]
        box = _el(
            "rect",
            x=x,
            y=y,
            width=BOX_W,
            height=BOX_H,
            rx=6,
            fill=KIND_COLOURS.get(node.kind, "#fff"),
            stroke=GREEN if node.code == trace.start else "#999",
        )
        name = _el("text", escape(node.name[:14]), x=x + 8, y=y + 18)
        code = _el("text", node.code, x=x + 8, y=y + 36, fill="#5b6470")
        parts.append(_el("g", box + name + code, data_code=node.code))
    return _el(
        "svg",
        "".join(parts),
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        font_family="Noto Sans CJK SC, sans-serif",
        font_size=12,
        role="img",
        aria_label=_("Picture of the movements between the premises"),
    )

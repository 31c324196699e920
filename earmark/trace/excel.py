from __future__ import annotations

import io
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from earmark.core.excel import export_preamble, safe_row, sheet_moment
from earmark.trace.selectors.premises import PremisesTrace


def trace_workbook(trace: PremisesTrace, *, since: date | None, until: date | None) -> bytes:
    """The links of a premises trace, under the lines that name the premises, the window and
    the time of export."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Trace"))
    start = trace.nodes[trace.start]
    title = {"forward": _("Forward trace"), "backward": _("Backward trace")}.get(
        trace.direction, _("Trace in both directions")
    )
    period = _("%(since)s to %(until)s") % {
        "since": since or _("the beginning"),
        "until": until or timezone.localdate(),
    }
    for values in export_preamble(
        title, region=f"{start.name}（{trace.start}）", period=str(period)
    ):
        sheet.append(safe_row(values))
    sheet.append(
        [
            _("From"),
            _("From (name)"),
            _("To"),
            _("To (name)"),
            _("Animals"),
            _("Certificates"),
            _("First"),
            _("Last"),
        ]
    )
    for link in trace.links.values():
        origin, destination = trace.nodes.get(link.origin), trace.nodes.get(link.destination)
        sheet.append(
            safe_row(
                [
                    link.origin,
                    origin.name if origin else "",
                    link.destination,
                    destination.name if destination else "",
                    link.animals,
                    "、".join(link.certificates),
                    sheet_moment(link.first_at),
                    sheet_moment(link.last_at),
                ]
            )
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""The printed issue document (发放单): from, to, ranges, count, who and when."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from earmark.core.fonts import SANS
from earmark.core.pdf import DEFAULT_TOP, a4_pdf, official, para
from earmark.core.species import species_label
from earmark.eartags.models import Issue
from earmark.eartags.selectors.inventory import issue_holders


@official
def issue_pdf(issue: Issue) -> bytes:
    """In Chinese whatever the reader's language (an official record); every value wraps in
    its cell, never runs out of it."""
    title = ParagraphStyle(
        "title", wordWrap="CJK", fontName=SANS, fontSize=16, leading=22, alignment=1
    )
    body = ParagraphStyle("body", wordWrap="CJK", fontName=SANS, fontSize=10, leading=15)
    cell = ParagraphStyle("cell", fontName=SANS, fontSize=10, leading=14, wordWrap="CJK")
    source, target = issue_holders(issue)
    created = timezone.localtime(issue.created_at).strftime("%Y-%m-%d %H:%M")
    facts: list[list[str]] = [
        [_("Document"), issue.number],
        [_("Kind"), str(issue.get_kind_display())],
        [_("From"), source.label],
        [_("To"), target.label],
        [_("Species"), species_label(issue.species)],
        [_("Count"), f"{issue.count:,}"],
        [_("Issued by"), f"{issue.created_by} · {created}"],
    ]
    if issue.note:
        facts.append([_("Note"), issue.note])
    lines = [[_("No."), _("First number"), _("Last number"), _("Count")]] + [
        [str(n), f"{line.first:015d}", f"{line.last:015d}", f"{line.count:,}"]
        for n, line in enumerate(issue.lines.all(), start=1)
    ]
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), SANS, 10),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    story = [
        para(_("Ear-tag transfer document"), title),
        Spacer(1, 6 * mm),
        Table(
            [[para(label, cell), para(value, cell)] for label, value in facts],
            colWidths=[35 * mm, 135 * mm],
            style=style,
        ),
        Spacer(1, 6 * mm),
        Table(lines, colWidths=[15 * mm, 60 * mm, 60 * mm, 35 * mm], style=style, repeatRows=1),
        Spacer(1, 12 * mm),
        para(_("Handed over by: ____________    Received by: ____________"), body),
    ]
    return a4_pdf(story, title=issue.number, side=18 * mm, top=DEFAULT_TOP)

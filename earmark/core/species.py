"""The species the system follows, read from the province's table (``core.Species``).

Pigs, cattle and sheep/goats are shipped; the province may add a species (Order 13 art. 30)
and every page, import, check and count follows it, because they all ask here: the codes, the
labels in the reader's language, the measure word on documents and the tag digits. The table
is small and read once per request (or once per worker round); a write clears it at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.signals import request_started
from django.db import models
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import translation
from django.utils.translation import gettext as _

# A species code: lower-case letters, digits and underscores, as stored in every record.
CODE_PATTERN = r"^[a-z][a-z0-9_]{1,9}$"


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    name_en: str
    unit: str
    digits: tuple[int, ...]
    aliases: tuple[str, ...]

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        language = translation.get_language() or "zh-hans"
        return self.name if language.startswith("zh") else self.name_en


@dataclass(frozen=True)
class Table:
    kinds: dict[str, Kind]
    digits: dict[int, str]


_local = threading.local()


def species_table() -> Table:
    table: Table | None = getattr(_local, "table", None)
    if table is None:
        table = _load()
        _local.table = table
    return table


def species_forget(**_kwargs: Any) -> None:
    """Read the table again at the next question (a new request, a write, a test)."""
    _local.table = None


def _load() -> Table:
    """The table in one query: a row per species and digit (a species without one once)."""
    from earmark.core.models import Species

    rows: dict[str, dict[str, Any]] = {}
    digits: dict[int, str] = {}
    for row in Species.objects.values(
        "code", "name", "name_en", "unit", "aliases", "digits__digit"
    ).order_by("position", "id", "digits__digit"):
        kind = rows.setdefault(row["code"], {**row, "digits": []})
        if row["digits__digit"] is not None:
            kind["digits"].append(row["digits__digit"])
            digits[row["digits__digit"]] = row["code"]
    kinds = {
        code: Kind(
            code=code,
            name=row["name"],
            name_en=row["name_en"],
            unit=row["unit"],
            digits=tuple(row["digits"]),
            aliases=tuple(a for a in row["aliases"].split(",") if a),
        )
        for code, row in rows.items()
    }
    return Table(kinds=kinds, digits=dict(sorted(digits.items())))


# The species shipped with the system: code, Chinese name, English name, measure word, words
# sheets use for it, and the first digits of their tag codes (7: breeding sows, 2010 spec).
SHIPPED = [
    ("pig", "猪", "Pig", "头", "生猪,母猪,猪只", (1, 7)),
    ("cattle", "牛", "Cattle", "头", "肉牛,奶牛,黄牛,cow", (2,)),
    ("sheep", "羊", "Sheep/goat", "只", "山羊,绵羊,goat", (3,)),
]


def species_ship(apps: Any = None, **_kwargs: Any) -> None:
    """Write the shipped species that are missing: after ``migrate``, and after a flush (which
    empties every table and then signals as a migration does). With the migration state's
    ``apps``, nothing is done where the tables do not exist yet (a database migrated back)."""
    if apps is None:
        from django.apps import apps
    try:
        Species = apps.get_model("core", "Species")
        SpeciesDigit = apps.get_model("core", "SpeciesDigit")
    except LookupError:
        return

    for position, (code, name, name_en, unit, aliases, digits) in enumerate(SHIPPED):
        species, _created = Species.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "aliases": aliases,
                "position": position,
            },
        )
        for digit in digits:
            if not SpeciesDigit.objects.filter(digit=digit).exists():
                SpeciesDigit.objects.create(digit=digit, species=species)
    species_forget()


def connect_signals(app: Any) -> None:
    from earmark.core.models import Species, SpeciesDigit

    post_migrate.connect(species_ship, sender=app, dispatch_uid="species-ship")
    request_started.connect(species_forget, dispatch_uid="species-forget-request")
    for model in (Species, SpeciesDigit):
        post_save.connect(species_forget, sender=model, dispatch_uid=f"species-forget-{model}")
        post_delete.connect(species_forget, sender=model, dispatch_uid=f"species-del-{model}")


def species_codes() -> list[str]:
    return list(species_table().kinds)


def species_known(code: str) -> bool:
    return code in species_table().kinds


def species_label(code: str) -> str:
    """The species' name in the reader's language; the code itself if it is not a species."""
    kind = species_table().kinds.get(code)
    return kind.label if kind else code


def species_labels(codes: Iterable[str]) -> str:
    """The names of the species among ``codes``, in the reader's language: 猪、羊."""
    return "、".join(species_label(c) for c in codes if species_known(c))


def species_unit(code: str) -> str:
    kind = species_table().kinds.get(code)
    return kind.unit if kind else ""


def species_choices() -> list[tuple[str, str]]:
    """(code, label) in the table's order, for forms."""
    return [(k.code, k.label) for k in species_table().kinds.values()]


def species_digits() -> dict[int, str]:
    """First digit of the 15-digit tag code → species."""
    return species_table().digits


def species_from_text(text: str) -> str | None:
    """The species a cell or a field names (code, Chinese or English name, or a word sheets
    use for it such as 生猪); None if none."""
    wanted = text.strip().lower()
    for kind in species_table().kinds.values():
        if wanted in (kind.code, kind.name, kind.name_en.lower(), *kind.aliases):
            return kind.code
    return None


class SpeciesField(models.CharField):
    """A record's species: a code of the table, shown by ``get_<name>_display()`` in the
    reader's language as a choices field would be. The codes are data, not choices, so that
    adding a species needs no migration; the field is a plain character column."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)

        def display(record: Any) -> str:
            return species_label(getattr(record, self.attname))

        setattr(cls, f"get_{name}_display", display)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def species_name(code: str) -> str:
    """The Chinese name, as documents and other systems' sheets write it."""
    kind = species_table().kinds.get(code)
    return kind.name if kind else code


def species_refusal() -> str:
    """What a field that names no species of the table says."""
    return _("Choose one of the species: %(names)s.") % {
        "names": "、".join(k.label for k in species_table().kinds.values())
    }


def species_digit_note() -> str:
    """Which first digit of a tag code marks which species: 1 猪, 2 牛, 3 羊, 7 猪."""
    return ", ".join(f"{d} {species_label(c)}" for d, c in species_table().digits.items())

"""What the API accepts, checked at the boundary: text without control characters and within a
length, integers within 64 bits, dates within sensible years, region codes of the right shape —
each refusal a 422 in the error shape, in the user's language. Also the error schema every
operation documents, and pagination with bounds."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.schema import DjangoGetter
from pydantic import (
    AfterValidator,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from earmark.core.species import CODE_PATTERN, species_codes, species_known
from earmark.core.validators import CONTROL_PROBLEM, has_control_characters

INT64 = 2**63 - 1
# No text field of the system is longer (addresses, notes and reasons are 200 to 500).
MAX_TEXT = 20_000
# Fields of typed tag numbers hold up to 5,000 numbers and ranges (see eartags.parse).
TAG_TEXT_FIELDS = frozenset({"numbers", "tags", "ranges"})
MAX_TAG_TEXT = 200_000
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _sensible_day(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(
            _("A date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return value


def _sensible_moment(value: datetime) -> datetime:
    """A moment in sensible years; one written without a time zone (``2026-12-10T08:00``) is
    read as the province's clock time (``TIME_ZONE``, Asia/Shanghai), as people mean it."""
    _sensible_day(value.date())
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


# A date or a moment in the years a record can concern.
Day = Annotated[date, AfterValidator(_sensible_day)]
Moment = Annotated[datetime, AfterValidator(_sensible_moment)]


def _known_species(value: str) -> str:
    if not species_known(value):
        raise ValueError(
            _("Unknown species %(code)s; the species are: %(codes)s.")
            % {"code": value, "codes": ", ".join(species_codes())}
        )
    return value


# A species of the province's table (``GET /api/v1/species``): pig, cattle, sheep as shipped.
SpeciesCode = Annotated[
    str,
    StringConstraints(pattern=CODE_PATTERN),
    AfterValidator(_known_species),
    Field(description="a species code of `GET /api/v1/species`: pig, cattle, sheep, …"),
]
# A GB/T 2260 region code: 6 digits to the county, 9 for a township; empty for "all".
RegionCode = Annotated[str, StringConstraints(pattern=r"^(\d{6}|\d{9})?$")]


class In(Schema):
    """Base of every request body: each text field is free of control characters and no longer
    than the column that keeps it (``keeps_in`` and ``columns`` name it), each integer within 64
    bits (the database's), each date within sensible years."""

    # The model whose columns keep these fields, and field → column where the names differ.
    keeps_in: ClassVar[type[models.Model] | None] = None
    columns: ClassVar[dict[str, str]] = {}
    # Old field names still accepted for one release, old → new (the new name wins when a
    # request sends both); the document lists them as deprecated.
    renamed: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _old_names(cls, data: Any) -> Any:
        # django-ninja hands the request's dict over wrapped in its DjangoGetter.
        wrapped = isinstance(data, DjangoGetter)
        body = data._obj if wrapped else data
        if not cls.renamed or not isinstance(body, dict):
            return data
        body = dict(body)
        for old, new in cls.renamed.items():
            if old in body:
                value = body.pop(old)
                body.setdefault(new, value)
        return DjangoGetter(body, data._schema_cls, data._context) if wrapped else body

    @field_validator("*", mode="after")
    @classmethod
    def _at_the_boundary(cls, value: Any, info: ValidationInfo) -> Any:
        longest = cls._longest(info.field_name or "")
        if isinstance(value, datetime):
            return _sensible_moment(value)
        if isinstance(value, list) and any(isinstance(item, datetime) for item in value):
            value = [_sensible_moment(i) if isinstance(i, datetime) else i for i in value]
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                if has_control_characters(item, multiline=True):
                    raise ValueError(str(CONTROL_PROBLEM))
                if len(item) > longest:
                    raise ValueError(_("At most %(n)d characters.") % {"n": longest})
            elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > INT64:
                raise ValueError(_("The number is too large."))
            elif isinstance(item, datetime):
                _sensible_moment(item)
            elif isinstance(item, date):
                _sensible_day(item)
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        """The document says how long each text may be, as the check does."""
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema) if "$ref" in schema else schema
        properties = target.get("properties", {})
        for name, field in properties.items():
            longest = cls._longest(name)
            for variant in [field, *field.get("anyOf", [])]:
                if variant.get("type") == "string" and "enum" not in variant:
                    variant.setdefault("maxLength", longest)
        for old, new in cls.renamed.items():
            properties[old] = {
                **{k: v for k, v in properties[new].items() if k not in ("title", "description")},
                "deprecated": True,
                "description": f"Old name of `{new}`, accepted until API version 2.",
            }
        return target

    @classmethod
    def _longest(cls, name: str) -> int:
        if name in TAG_TEXT_FIELDS:
            return MAX_TAG_TEXT
        if cls.keeps_in is None:
            return MAX_TEXT
        try:
            column = cls.keeps_in._meta.get_field(cls.columns.get(name, name))
        except FieldDoesNotExist:
            return MAX_TEXT
        return getattr(column, "max_length", None) or MAX_TEXT


def formerly(name: str, meaning: str = "") -> Any:
    """An answer's field kept under its old name for one release, with the value of ``name``
    (or, where the old field meant something else, the old ``meaning``)."""
    said = meaning or f"the same as `{name}`"
    return Field(
        description=f"Deprecated: {said}; read `{name}`. It goes in API version 2.",
        json_schema_extra={"deprecated": True},
    )


def one_of(values: list[str], default: Any = ..., description: str = "") -> Any:
    """A text field whose values are a fixed set, documented as such; the service checks it
    with the rest of the request, so that every problem comes back at once."""
    extra: dict[str, Any] = {"enum": list(values)}
    return Field(default, description=description or None, json_schema_extra=extra)


class ErrorItem(Schema):
    """The problems of one tag range, row or entry of the request."""

    ref: str = Field(
        description="the tag range, line or entry as the user wrote it; empty for the request"
    )
    field: str = Field(description="the field or column it came from, if one")
    count: int = Field(description="how many tags the range holds (0 when ref is not a range)")
    problems: list[str] = Field(description="what is wrong with it, in the request's language")


class ErrorDetail(Schema):
    """What to correct: problems by field, and by tag range, row or entry."""

    fields: dict[str, list[str]] = Field(description="problems by field name (a.b for nested)")
    items: list[ErrorItem] = Field(description="problems by tag range, row or entry")


class ErrorOut(Schema):
    """Every error: a code for programs, a message for people, details by field or item."""

    code: str = Field(description="what went wrong, for programs (e.g. not_found)")
    message: str = Field(description="what went wrong, for people, in the request's language")
    detail: ErrorDetail


class BoundedPagination(LimitOffsetPagination):
    """``?limit=`` (1–500, default 50) and ``?offset=`` (0 to a billion)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500, description="rows per page")
        offset: int = Field(0, ge=0, le=1_000_000_000, description="rows to skip")


def pydantic_message(error: dict[str, Any]) -> str:
    """A pydantic error in the user's language."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("Required.")
    if kind in ("string_too_long",):
        return _("At most %(n)d characters.") % {"n": context.get("max_length", 0)}
    if kind in ("string_too_short",):
        return _("At least %(n)d characters.") % {"n": context.get("min_length", 0)}
    if kind == "string_pattern_mismatch":
        return _("Not in the expected form.")
    if kind in ("enum", "literal_error"):
        return _("One of: %(values)s.") % {"values": context.get("expected", "")}
    if kind.startswith("int") or kind.startswith("float"):
        return _("A number is expected.")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(context.values()), "")
        return _("Out of range (%(bound)s).") % {"bound": bound}
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("A date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM) is expected.")
    if kind.startswith("bool"):
        return _("true or false is expected.")
    if kind.startswith("string") or kind == "str_type":
        return _("Text is expected.")
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        return _("Not in the expected form.")
    if kind == "value_error":
        return str(context.get("error", error.get("msg", "")))
    return str(error.get("msg", ""))

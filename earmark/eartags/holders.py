"""Who holds unused tags: an agency (county agency or township station), a farm, or a
vaccinator. One small value type so that services and selectors speak of them alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from earmark.accounts.models import Agency, Role, User
from earmark.core.codes import county_of
from earmark.core.errors import BusinessError, NotFound
from earmark.eartags.errors import HOLDER_MALFORMED
from earmark.farms.models import Premises


@dataclass(frozen=True)
class Holder:
    agency: Agency | None = None
    premises: Premises | None = None
    vaccinator: User | None = None

    @property
    def key(self) -> str:
        if self.agency is not None:
            return f"agency:{self.agency.pk}"
        if self.premises is not None:
            return f"premises:{self.premises.code}"
        assert self.vaccinator is not None
        return f"vaccinator:{self.vaccinator.pk}"

    @property
    def label(self) -> str:
        if self.agency is not None:
            return self.agency.name
        if self.premises is not None:
            return f"{self.premises.name}（{self.premises.code}）"
        assert self.vaccinator is not None
        number = getattr(getattr(self.vaccinator, "vaccinator", None), "number", "")
        return _("Vaccinator %(name)s (No. %(number)s)") % {
            "name": self.vaccinator,
            "number": number,
        }

    @property
    def region_code(self) -> str:
        """The region that answers for this holder: where jurisdiction is checked."""
        if self.agency is not None:
            return self.agency.region_id
        if self.premises is not None:
            return self.premises.township_id
        assert self.vaccinator is not None and self.vaccinator.agency is not None
        return self.vaccinator.agency.region_id

    @property
    def county_code(self) -> str:
        return county_of(self.region_code) or ""

    def fields(self) -> dict[str, Any]:
        """Keyword arguments naming this holder on a Holding (all three, two of them None)."""
        return {"agency": self.agency, "premises": self.premises, "vaccinator": self.vaccinator}

    def lookup(self) -> dict[str, Any]:
        """Filter arguments selecting this holder's rows."""
        if self.agency is not None:
            return {"agency": self.agency}
        if self.premises is not None:
            return {"premises": self.premises}
        return {"vaccinator": self.vaccinator}


def holder_from_key(key: str) -> Holder:
    """``agency:12``, ``premises:220113000001`` or ``vaccinator:7``; unknown keys are not found."""
    kind, _sep, value = key.partition(":")
    if kind == "agency" and value.isdigit():
        agency = Agency.objects.select_related("region").filter(pk=int(value)).first()
        if agency:
            return Holder(agency=agency)
    elif kind == "premises":
        premises = Premises.objects.select_related("township").filter(code=value).first()
        if premises:
            return Holder(premises=premises)
    elif kind == "vaccinator" and value.isdigit():
        user = (
            User.objects.select_related("agency__region", "vaccinator")
            .filter(pk=int(value), role_assignments__role=Role.VACCINATOR)
            .first()
        )
        if user:
            return Holder(vaccinator=user)
    else:
        raise BusinessError(
            _("Name the holder as agency:ID, premises:CODE or vaccinator:ID."),
            code=HOLDER_MALFORMED,
        )
    raise NotFound(_("No such holder: %(key)s.") % {"key": key})


def holder_of(row: Any) -> Holder:
    """The holder of a Holding (or of an issue's side, given the three fields)."""
    return Holder(agency=row.agency, premises=row.premises, vaccinator=row.vaccinator)

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import farm_vet_only, request_user
from earmark.accounts.models import Role
from earmark.core.errors import BusinessError, NotFound
from earmark.core.forms import show_error
from earmark.core.species import species_digits
from earmark.eartags.codes import CodeError, format_tag, parse_tag
from earmark.eartags.messages import read_numbers
from earmark.eartags.selectors.inventory import pliers_held_by
from earmark.farms.models import Premises
from earmark.farms.selectors import premises_choices, premises_get, stock_by_species
from earmark.immunization import selectors
from earmark.immunization.forms import (
    FarmVetForm,
    ImmunizationForm,
    ReplacementForm,
    SpeciesForm,
    VaccineForm,
)
from earmark.immunization.services import catalog, farm_vets, records, retagging, tagging


@login_required
def immunize(request: HttpRequest) -> HttpResponse:
    """The vaccinator's page: farm, vaccine and batch, tags; preview, then confirm."""
    user = request_user(request)
    initial = {"premises": request.GET.get("premises", "")}
    pliers = pliers_held_by(vaccinator=user) if user.has_role(Role.VACCINATOR) else []
    form = ImmunizationForm(
        request.POST or None,
        initial=initial,
        premises=(
            selectors.farm_vet_premises(user=user)
            if farm_vet_only(user)
            else premises_choices(user=user, kinds=[Premises.Kind.FARM, Premises.Kind.HOUSEHOLD])
        ),
        vaccines=list(selectors.vaccine_list(active_only=True)),
        pliers=pliers,
    )
    summary = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            premises = premises_get(user=user, code=data["premises"])
            arguments: dict[str, Any] = {
                "actor": user,
                "premises": premises,
                "session": records.Session(
                    species=data["species"],
                    vaccine=selectors.vaccine_chosen(int(data["vaccine"])),
                    batch_number=data["batch_number"],
                    vaccinated_on=data["vaccinated_on"],
                    seller=data["seller"],
                    disinfection=data["disinfection"],
                    pliers=data.get("pliers", ""),
                    age=data["age"],
                    age_unit=data["age_unit"],
                    campaign=data["campaign"],
                ),
                "numbers": read_numbers(data["numbers"]),
                "details": tagging.AnimalDetails(
                    birth_date=data["birth_date"],
                    sex=data["sex"] or "unknown",
                    breed=data["breed"],
                    is_breeding=data["is_breeding"],
                    is_dairy=data["is_dairy"],
                    dam_tag=parse_tag(data["dam_tag"], species=species_digits())
                    if data["dam_tag"]
                    else None,
                ),
            }
            if request.POST.get("action") != "confirm":
                summary = records.immunization_preview(**arguments).summary
            else:
                record = records.immunization_record(**arguments)
                messages.success(
                    request,
                    _("Immunization %(number)s recorded: %(count)d animals.")
                    % {"number": record.number, "count": record.count},
                )
                return redirect("immunization-record", number=record.number)
        except CodeError:
            form.add_error("dam_tag", _("The dam's tag has 15 digits."))
        except BusinessError as error:
            show_error(form, error, items_field="numbers", renamed={"tags": "numbers"})
    return render(
        request,
        "immunization/immunize.html",
        {"form": form, "summary": summary, "pliers": pliers},
    )


@login_required
def record(request: HttpRequest, number: str) -> HttpResponse:
    record = selectors.record_get(user=request_user(request), number=number)
    animals = selectors.record_animals(record=record)
    return render(request, "immunization/record.html", {"record": record, "animals": animals})


@login_required
def premises_history(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = premises_get(user=user, code=code)
    history = Paginator(selectors.record_list(user=user, premises_code=code), 30).get_page(
        request.GET.get("page")
    )
    tagged = selectors.tagged_by_species(premises)
    stock = stock_by_species(premises=premises)
    return render(
        request,
        "immunization/premises_history.html",
        {
            "premises": premises,
            "page": history,
            "counts": [
                (species, stock.get(species, 0), tagged.get(species, 0))
                for species in sorted(set(stock) | set(tagged))
            ],
            "may_immunize": user.has_role(Role.VACCINATOR),
        },
    )


@login_required
def animal(request: HttpRequest, tag: str) -> HttpResponse:
    user = request_user(request)
    try:
        number = parse_tag(tag, species=species_digits())
    except CodeError as error:
        raise NotFound(_("%(text)s is not a 15-digit tag number.") % {"text": tag}) from error
    detail = selectors.animal_detail(user=user, number=number, on=timezone.localdate())
    form = ReplacementForm(
        request.POST or None,
        vaccines=list(selectors.vaccine_list(active_only=True)),
        pliers=pliers_held_by(vaccinator=user) if user.has_role(Role.VACCINATOR) else [],
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            application = retagging.animal_retag(
                actor=user,
                old=tag,
                new=data["new"],
                reason=data["reason"],
                note=data["note"],
                vaccine=selectors.vaccine_find(int(data["vaccine"] or 0)),
                batch_number=data["batch_number"],
                seller=data["seller"],
                disinfection=data["disinfection"],
                pliers=data.get("pliers", ""),
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("Tag %(tag)s put in the right ear.") % {"tag": format_tag(application.tag_id)},
            )
            return redirect("animal", tag=format_tag(application.tag_id))
    return render(
        request,
        "immunization/animal.html",
        {
            "detail": detail,
            "text": format_tag(number),
            "form": form,
            "may_tag": user.has_role(Role.VACCINATOR),
        },
    )


@login_required
def vaccines(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = VaccineForm(
        request.POST or None, diseases=[(d.code, d.name) for d in selectors.disease_list()]
    )
    if request.method == "POST" and form.is_valid():
        try:
            catalog.vaccine_create(actor=user, **form.cleaned_data)
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Vaccine added to the catalogue."))
            return redirect("vaccines")
    return render(
        request,
        "immunization/vaccines.html",
        {
            "vaccines": selectors.vaccine_list(),
            "compulsory": selectors.compulsory_list(),
            "form": form,
            "may_edit": user.has_role(Role.PROVINCE_ADMIN),
        },
    )


@login_required
def species_page(request: HttpRequest) -> HttpResponse:
    """The species followed, with their tag digits and compulsory diseases; the province adds
    one (Order 13 art. 30)."""
    user = request_user(request)
    may_edit = user.has_role(Role.PROVINCE_ADMIN)
    form = SpeciesForm(
        request.POST if request.method == "POST" else None,
        diseases=[(d.code, d.name) for d in selectors.disease_list()],
    )
    if form.is_bound and form.is_valid():
        try:
            added = catalog.species_add(actor=user, data=catalog.NewSpecies(**form.cleaned_data))
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("%(name)s is now followed.") % {"name": added.name})
            return redirect("species")
    return render(
        request,
        "immunization/species.html",
        {"species": selectors.species_list(), "form": form, "may_edit": may_edit},
    )


@login_required
def farm_vets_page(request: HttpRequest) -> HttpResponse:
    """Farm veterinarians of the jurisdiction; the county approves and revokes them."""
    user = request_user(request)
    county = user.has_role(Role.COUNTY_OFFICER)
    form = FarmVetForm(
        request.POST
        if request.method == "POST" and county and "revoke" not in request.POST
        else None,
        farms=premises_choices(user=user, kinds=[Premises.Kind.FARM]) if county else [],
    )
    if request.method == "POST" and county and "revoke" in request.POST:
        approval = selectors.farm_vet_get(user=user, approval_id=int(request.POST["revoke"] or 0))
        try:
            farm_vets.farm_vet_revoke(
                actor=user, approval=approval, reason=request.POST.get("reason", "")
            )
        except BusinessError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Approval revoked."))
        return redirect("farm-vets")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            premises = premises_get(user=user, code=data["premises"])
            farm_vets.farm_vet_approve(
                actor=user,
                premises=premises,
                approval=farm_vets.Approval(
                    username=data["username"],
                    certificate_number=data["certificate_number"],
                    species=data["species"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                ),
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Farm veterinarian approved."))
            return redirect("farm-vets")
    page = Paginator(selectors.farm_vet_list(user=user), 30).get_page(request.GET.get("page"))
    return render(
        request, "immunization/farm_vets.html", {"page": page, "form": form if county else None}
    )

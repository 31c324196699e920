from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import farm_vet_only, request_user
from earmark.accounts.models import Role, User
from earmark.core.errors import BusinessError, NotFound
from earmark.core.forms import act, form_save, show_error
from earmark.core.species import species_digits
from earmark.eartags.codes import CodeError, format_tag, parse_tag
from earmark.eartags.messages import read_numbers
from earmark.eartags.selectors.inventory import pliers_held_by
from earmark.farms.models import Premises
from earmark.farms.selectors import premises_choices, premises_get, stock_by_species
from earmark.immunization.forms import (
    FarmVetForm,
    ImmunizationForm,
    ReplacementForm,
    SpeciesForm,
    VaccineForm,
)
from earmark.immunization.selectors import catalog as catalog_reads
from earmark.immunization.selectors import farm_vets as farm_vets_reads
from earmark.immunization.selectors import protection as protection_reads
from earmark.immunization.selectors import records as records_reads
from earmark.immunization.services import catalog, farm_vets, records, retagging, tagging


@login_required
def immunize(request: HttpRequest) -> HttpResponse:
    """The vaccinator's page: farm, vaccine and batch, tags; preview, then confirm."""
    user = request_user(request)
    pliers = pliers_held_by(vaccinator=user) if user.has_role(Role.VACCINATOR) else []
    form = _immunization_form(request, user, pliers)
    summary = ""
    if request.method == "POST" and form.is_valid():
        try:
            arguments = _session_arguments(user, form.cleaned_data)
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
    context = {"form": form, "summary": summary, "pliers": pliers}
    return render(request, "immunization/immunize.html", context)


def _immunization_form(request: HttpRequest, user: User, pliers: list[Any]) -> ImmunizationForm:
    if farm_vet_only(user):
        premises = farm_vets_reads.farm_vet_premises(user=user)
    else:
        premises = premises_choices(user=user, kinds=[Premises.Kind.FARM, Premises.Kind.HOUSEHOLD])
    return ImmunizationForm(
        request.POST or None,
        initial={"premises": request.GET.get("premises", "")},
        premises=premises,
        vaccines=list(catalog_reads.vaccine_list(active_only=True)),
        pliers=pliers,
    )


def _session_arguments(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """The session the form describes, as the recording service takes it."""
    fields = ("species", "batch_number", "vaccinated_on", "seller", "disinfection", "age")
    session = records.Session(
        vaccine=catalog_reads.vaccine_chosen(int(data["vaccine"])),
        pliers=data.get("pliers", ""),
        age_unit=data["age_unit"],
        campaign=data["campaign"],
        **{name: data[name] for name in fields},
    )
    dam = parse_tag(data["dam_tag"], species=species_digits()) if data["dam_tag"] else None
    animal = ("birth_date", "breed", "is_breeding", "is_dairy")
    details = tagging.AnimalDetails(
        sex=data["sex"] or "unknown", dam_tag=dam, **{name: data[name] for name in animal}
    )
    premises = premises_get(user=user, code=data["premises"])
    numbers = read_numbers(data["numbers"])
    return {
        "actor": user,
        "premises": premises,
        "session": session,
        "numbers": numbers,
        "details": details,
    }


@login_required
def record(request: HttpRequest, number: str) -> HttpResponse:
    record = records_reads.record_get(user=request_user(request), number=number)
    animals = records_reads.record_animals(record=record)
    return render(request, "immunization/record.html", {"record": record, "animals": animals})


@login_required
def premises_history(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = premises_get(user=user, code=code)
    history = Paginator(records_reads.record_list(user=user, premises_code=code), 30).get_page(
        request.GET.get("page")
    )
    tagged = protection_reads.tagged_by_species(premises)
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
    detail = records_reads.animal_detail(user=user, number=number, on=timezone.localdate())
    form = ReplacementForm(
        request.POST or None,
        vaccines=list(catalog_reads.vaccine_list(active_only=True)),
        pliers=pliers_held_by(vaccinator=user) if user.has_role(Role.VACCINATOR) else [],
    )
    if request.method == "POST":
        saved = form_save(
            request,
            form,
            lambda v: _retag(user, tag, v),
            done=lambda applied: reverse("animal", kwargs={"tag": format_tag(applied.tag_id)}),
            message=lambda applied: (
                _("Tag %(tag)s put in the right ear.") % {"tag": format_tag(applied.tag_id)}
            ),
        )
        if saved:
            return saved
    may_tag = user.has_role(Role.VACCINATOR)
    context = {"detail": detail, "text": format_tag(number), "form": form, "may_tag": may_tag}
    return render(request, "immunization/animal.html", context)


def _retag(user: User, tag: str, data: dict[str, Any]) -> Any:
    fields = ("new", "reason", "note", "batch_number", "seller", "disinfection", "age")
    return retagging.animal_retag(
        actor=user,
        old=tag,
        vaccine=catalog_reads.vaccine_find(int(data["vaccine"] or 0)),
        pliers=data.get("pliers", ""),
        age_unit=data.get("age_unit") or "",
        **{name: data[name] for name in fields},
    )


@login_required
def vaccines(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = VaccineForm(
        request.POST or None, diseases=[(d.code, d.name) for d in catalog_reads.disease_list()]
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
            "vaccines": catalog_reads.vaccine_list(),
            "compulsory": catalog_reads.compulsory_list(),
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
        diseases=[(d.code, d.name) for d in catalog_reads.disease_list()],
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
        {"species": catalog_reads.species_list(), "form": form, "may_edit": may_edit},
    )


@login_required
def farm_vets_page(request: HttpRequest) -> HttpResponse:
    """Farm veterinarians of the jurisdiction; the county approves and revokes them."""
    user = request_user(request)
    county = user.has_role(Role.COUNTY_OFFICER)
    posted = request.method == "POST" and county
    if posted and "revoke" in request.POST:
        approval = farm_vets_reads.farm_vet_get(
            user=user, approval_id=int(request.POST["revoke"] or 0)
        )
        reason = request.POST.get("reason", "")
        return act(
            request,
            lambda: farm_vets.farm_vet_revoke(actor=user, approval=approval, reason=reason),
            done="farm-vets",
            message=_("Approval revoked."),
        )
    farms = premises_choices(user=user, kinds=[Premises.Kind.FARM]) if county else []
    form = FarmVetForm(request.POST if posted else None, farms=farms)
    saved = form_save(
        request,
        form if posted else None,
        lambda v: _approve(user, v),
        done="farm-vets",
        message=_("Farm veterinarian approved."),
    )
    if saved:
        return saved
    page = Paginator(farm_vets_reads.farm_vet_list(user=user), 30).get_page(request.GET.get("page"))
    context = {"page": page, "form": form if county else None}
    return render(request, "immunization/farm_vets.html", context)


def _approve(user: User, data: dict[str, Any]) -> object:
    fields = ("username", "certificate_number", "species", "valid_from", "valid_until")
    return farm_vets.farm_vet_approve(
        actor=user,
        premises=premises_get(user=user, code=data["premises"]),
        approval=farm_vets.Approval(**{name: data[name] for name in fields}),
    )

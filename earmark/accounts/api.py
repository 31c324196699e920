from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from earmark.accounts import selectors, services, tokens
from earmark.accounts.access import request_user
from earmark.accounts.models import Agency, ApiToken, Role, User
from earmark.core.schemas import INT64, In

router = Router(tags=["accounts"])


class AgencyOut(Schema):
    id: int
    name: str
    level: str
    region_code: str
    region_name: str

    @staticmethod
    def resolve_region_code(agency: Agency) -> str:
        return agency.region_id

    @staticmethod
    def resolve_region_name(agency: Agency) -> str:
        return agency.region.name


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    phone: str
    is_active: bool
    agency: AgencyOut
    roles: list[Role]
    vaccinator_number: str | None

    @staticmethod
    def resolve_roles(user: User) -> list[str]:
        return selectors.user_roles(user)

    @staticmethod
    def resolve_vaccinator_number(user: User) -> str | None:
        vaccinator = getattr(user, "vaccinator", None)
        return vaccinator.number if vaccinator else None


class MeOut(UserOut):
    region_code: str
    region_name: str

    @staticmethod
    def resolve_region_code(user: User) -> str:
        assert user.agency is not None
        return user.agency.region_id

    @staticmethod
    def resolve_region_name(user: User) -> str:
        assert user.agency is not None
        return user.agency.region.name


class UserIn(In):
    keeps_in = User
    agency_id: int
    username: str
    password: str
    roles: list[Role]
    full_name: str = ""
    phone: str = ""
    vaccinator_number: str | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str


class TokenIn(In):
    keeps_in = ApiToken
    name: str
    user_id: int | None = None


@router.get("/me", response=MeOut, summary="The signed-in user, its agency, region and roles")
def me_get(request: HttpRequest) -> User:
    return selectors.user_get(user=request_user(request), user_id=request_user(request).pk)


@router.get("/agencies", response=list[AgencyOut], summary="Agencies within your jurisdiction")
@paginate
def agencies_list(
    request: HttpRequest, region: str | None = None, level: str | None = None
) -> object:
    return selectors.agency_list(user=request_user(request), region=region, level=level)


@router.get("/agencies/{agency_id}", response=AgencyOut, summary="One agency of your jurisdiction")
def agencies_get(request: HttpRequest, agency_id: int) -> Agency:
    return selectors.agency_get(user=request_user(request), agency_id=agency_id)


@router.get("/users", response=list[UserOut], summary="Staff within your jurisdiction")
@paginate
def users_list(
    request: HttpRequest,
    agency_id: int | None = Query(None, ge=1, le=INT64),
    search: str = "",
    role: str = "",
) -> object:
    return selectors.user_list(
        user=request_user(request),
        agency_id=agency_id,
        search=search,
        role=role,
    )


@router.get("/users/{user_id}", response=UserOut, summary="One staff account")
def users_get(request: HttpRequest, user_id: int) -> User:
    return selectors.user_get(user=request_user(request), user_id=user_id)


@router.post("/users", response={201: UserOut}, summary="Create a staff account")
def users_create(request: HttpRequest, payload: UserIn) -> Status[User]:
    actor = request_user(request)
    agency = selectors.agency_get(user=actor, agency_id=payload.agency_id)
    created = services.user_create(
        actor=actor,
        agency=agency,
        username=payload.username,
        password=payload.password,
        roles=payload.roles,
        full_name=payload.full_name,
        phone=payload.phone,
        vaccinator_number=payload.vaccinator_number,
    )
    return Status(201, selectors.user_get(user=actor, user_id=created.pk))


@router.post("/users/{user_id}/deactivate", response=UserOut, summary="Close a staff account")
def users_deactivate(request: HttpRequest, user_id: int) -> User:
    actor = request_user(request)
    target = selectors.user_get(user=actor, user_id=user_id)
    services.user_deactivate(actor=actor, user=target)
    return selectors.user_get(user=actor, user_id=user_id)


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens")
@paginate
def tokens_list(request: HttpRequest) -> object:
    return selectors.token_list(user=request_user(request))


@router.post(
    "/tokens",
    response={201: TokenCreated},
    summary="Create a token for a device; the token is shown only in this answer",
)
def tokens_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    actor = request_user(request)
    owner = actor
    if payload.user_id is not None and payload.user_id != actor.pk:
        owner = selectors.user_get(user=actor, user_id=payload.user_id)
    token, raw = tokens.token_create(actor=actor, user=owner, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": raw})


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke a token")
def tokens_revoke(request: HttpRequest, token_id: int) -> ApiToken:
    actor = request_user(request)
    token = selectors.token_get(user=actor, token_id=token_id)
    return tokens.token_revoke(actor=actor, token=token)

"""The refusals of staff accounts and their tokens (see core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import conflict, refused

USERNAME_TAKEN = conflict(
    "username_taken",
    _("The user name is taken."),
    "Another account has this user name.",
)
VACCINATOR_NUMBER_TAKEN = conflict(
    "vaccinator_number_taken",
    _("The vaccinator number is already used in this county."),
    "Vaccinator numbers (2 digits of the 2002 tag code) are unique within a county.",
)
OWN_ACCOUNT = refused(
    "own_account",
    _("You cannot deactivate your own account."),
    "An administrator closes other people's accounts, never the one signed in.",
)
WRONG_PASSWORD = refused(
    "wrong_password",
    _("The current password is wrong."),
    "Changing a password needs the current one.",
)
ACCOUNT_INACTIVE = conflict(
    "account_inactive",
    _("The account is deactivated."),
    "A deactivated account gets no new token.",
)

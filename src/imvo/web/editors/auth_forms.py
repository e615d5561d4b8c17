"""The forms of signing in: user name or e-mail address with the password, then the code.

Each form lists its problems for the error summary at the top of the page
(:meth:`SignInForm.summary`: anchor, label, message), and its fields carry the
``autocomplete`` tokens browsers and password managers use (``username``,
``current-password``, ``one-time-code``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from imvo.accounts.selectors import user_sign_in_name
from imvo.core.errors import Conflict

#: The digits of a TOTP code (django-otp's default).
CODE_DIGITS = 6


class AccountForm(forms.Form):
    """A form whose problems are summarised at the top of the page, each linked to its field."""

    def summary(self) -> list[tuple[str, str, str]]:
        """(anchor, field label, message) per problem; problems of the whole form point at the
        first field."""
        if not self.is_bound or not self.errors:
            return []
        first = next(iter(self.fields))
        problems = [(self[first].auto_id, "", str(m)) for m in self.non_field_errors()]
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                problems.append((self[name].auto_id, str(field.label), str(message)))
        return problems

    def mark_invalid_fields(self) -> None:
        """Give each field with a problem ``aria-invalid`` and a reference to its message."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = [f"{self[name].auto_id}_error"]
                if self.fields[name].help_text:
                    described.insert(0, f"{self[name].auto_id}_helptext")
                attrs["aria-describedby"] = " ".join(described)


class SignInForm(AccountForm):
    """The first step: who (a user name or an e-mail address) and the password.

    ``clean`` authenticates through Django's backends, so that django-axes counts every failure
    and refuses a locked-out account; an e-mail address is first mapped to the user name of the
    one account that has it, so that the count and the lockout are the account's whichever way
    the person typed it.
    """

    username = forms.CharField(
        label=_("User name or e-mail address"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "The user name (or e-mail address) or the password is not right. Please try again; "
            "after too many attempts the account is locked for a while."
        ),
    }

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: Any = None
        self.locked_out = False
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        identifier, password = cleaned.get("username"), cleaned.get("password")
        if not identifier or not password:
            return cleaned
        try:
            username = user_sign_in_name(identifier=identifier)
        except Conflict as error:
            raise forms.ValidationError({"username": error.message}) from None
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            self.locked_out = bool(getattr(self.request, "axes_locked_out", False))
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        self.user = user
        return cleaned


class CodeForm(AccountForm):
    """The second step, and setting up a device: the 6-digit code of the authenticator app."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        help_text=_(
            "The 6 digits the app shows for IMVO Monitor now (a new code every 30 seconds)."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": "8"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == CODE_DIGITS):
            raise forms.ValidationError(
                _("Enter the %(digits)d digits of the code, e.g. 123456."),
                params={"digits": CODE_DIGITS},
                code="format",
            )
        return code

"""The forms of signing in (user name or e-mail address with the password, then the code) and
of changing one's own password.

Each form lists its problems for the error summary at the top of the page
(:meth:`SignInForm.summary`: anchor, label, message), and its fields carry the
``autocomplete`` tokens browsers and password managers use (``username``,
``current-password``, ``new-password``, ``one-time-code``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.signals import user_login_failed
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


def password_failure_count(request: HttpRequest, user: Any) -> None:
    """A wrong password outside the sign-in form counts towards the lockout (django-axes) like
    a failed sign-in of ``user``."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


class PasswordChangeForm(AccountForm):
    """Changing one's own password: the current one, then the new one twice.

    A wrong current password counts as a failed sign-in (:func:`password_failure_count`), so
    that a session left open cannot be used to guess the password; ``locked_out`` says that
    this failure locked the account. The new password must pass Django's password validators
    (``AUTH_PASSWORD_VALIDATORS``), whose rules the field's help text lists.
    """

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    error_messages = {
        "password_incorrect": _(
            "Your current password is not right. Please try again; after too many attempts "
            "the account is locked for a while."
        ),
        "password_unchanged": _("The new password is the same as the current one."),
        "password_mismatch": _("The two new passwords are not the same."),
    }

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: Any = request.user
        self.locked_out = False
        super().__init__(*args, **kwargs)
        # In the language of the page: the rules of the validators that are configured.
        self.fields["new_password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean_old_password(self) -> str:
        password = self.cleaned_data["old_password"]
        if not self.user.check_password(password):
            password_failure_count(self.request, self.user)
            self.locked_out = bool(getattr(self.request, "axes_locked_out", False))
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return password

    def clean_new_password1(self) -> str:
        password = self.cleaned_data["new_password1"]
        password_validation.validate_password(password, self.user)
        if password == self.cleaned_data.get("old_password"):
            raise forms.ValidationError(
                self.error_messages["password_unchanged"], code="password_unchanged"
            )
        return password

    def clean_new_password2(self) -> str:
        password = self.cleaned_data["new_password2"]
        first = self["new_password1"].data  # as typed, also when the validators refused it
        if first and password != first:
            raise forms.ValidationError(
                self.error_messages["password_mismatch"], code="password_mismatch"
            )
        return password

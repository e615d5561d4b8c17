"""``django.contrib.admin`` with the site's sign-in: see :mod:`imvo.web.editors.admin_site`."""

from django.contrib.admin.apps import AdminConfig


class SignInAdminConfig(AdminConfig):
    """The admin app with :class:`~imvo.web.editors.admin_site.SignInAdminSite` as its site.

    Listed in ``INSTALLED_APPS`` in place of ``django.contrib.admin``; this module imports
    nothing else, since it is loaded before the models are."""

    default_site = "imvo.web.editors.admin_site.SignInAdminSite"

"""The methodology pages (under /methode/): an index and one page per document."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from imvo.web.public.method_docs import DOCUMENTS, method_document


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    language = get_language()
    documents = [
        {"document": document, "rendered": method_document(document.slug, language)}
        for document in DOCUMENTS
    ]
    return render(request, "public/method_index.html", {"documents": documents})


@require_safe
def page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        document = method_document(slug, get_language())
    except KeyError:
        raise Http404(_("No method document '%(slug)s'.") % {"slug": slug}) from None
    return render(request, "public/method.html", {"slug": slug, "document": document})

"""The progress letter laid out as Markdown and as HTML (a page of its own, or the article
that the site's page for published reports embeds).

Both take a :class:`~imvo.reports.document.Document` and only lay it out: footnote ``n`` of
a run links to note ``n`` in the list at the end; tables get a caption and column headers
(``<th scope="col">``), the first cell of each row is its header (``<th scope="row">``); a
figure is the SVG with its title and text alternative. Everything is escaped.
"""

from __future__ import annotations

from html import escape

from imvo.reports import document as D

#: The mark of a row changed since the previous letter (with a legend: never colour alone).
MARKER = "●"

STYLE = """
body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;
margin:0 auto;max-width:48rem;padding:1rem}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.25rem;margin-top:2rem}
.letterhead{border-bottom:1px solid #767676;margin-bottom:1.5rem;padding-bottom:1rem}
.letterhead dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0 0}
.letterhead dt{font-weight:700}.letterhead dd{margin:0}
.table-scroll{overflow-x:auto;margin:1rem 0}
table{border-collapse:collapse;font-size:.9rem;min-width:100%}
caption{text-align:left;font-weight:700;padding:.3rem 0}
th,td{border:1px solid #767676;padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#e8e8e8}tr.changed{background:#e8f0fe}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
sup a{text-decoration:none}.notes{font-size:.9rem;overflow-wrap:anywhere}
a{color:#01689b}a:focus{outline:3px solid #1b1b1b;outline-offset:2px}
"""


def _runs(runs: tuple[D.Run, ...], markup: str) -> str:
    out = []
    for run in runs:
        if markup == "md":
            text = _md_escape(run.text)
            text = f"**{text.strip()}** " if run.emphasis and text.strip() else text
            out.append(text + (f"[^{run.note}]" if run.note else ""))
        else:
            text = escape(run.text)
            text = f"<strong>{text}</strong>" if run.emphasis else text
            if run.note:
                text += (f'<sup><a href="#noot-{run.note}" id="ref-{run.note}-{len(out)}" '
                         f'aria-label="noot {run.note}">{run.note}</a></sup>')  # fmt: skip
            out.append(text)
    return "".join(out)


def _md_escape(text: str) -> str:
    for char in ("\\", "*", "_", "[", "]", "|", "<", "#"):
        text = text.replace(char, "\\" + char)
    return text


def _cell(text: str) -> str:
    return _md_escape(text).replace("\n", " ")


def markdown(doc: D.Document) -> str:
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, D.Fields):
            lines += [f"**{_md_escape(block.sender)}**", ""]
            lines += [f"{_md_escape(line)}  " for line in block.address] + [""]
            lines += [f"**{_md_escape(k)}**: {_md_escape(v)}  " for k, v in block.fields] + [""]
        elif isinstance(block, D.Heading):
            lines += [f"{'#' * block.level} {_md_escape(block.text)}", ""]
        elif isinstance(block, D.Paragraph):
            lines += [_runs(block.runs, "md"), ""]
        elif isinstance(block, D.Bullets):
            lines += [f"- {_runs(item, 'md')}" for item in block.items] + [""]
        elif isinstance(block, D.Table):
            lines += [f"**{_md_escape(block.caption)}**", ""]
            lines.append("| " + " | ".join(_cell(h) for h in block.header) + " |")
            lines.append("|" + "---|" * len(block.header))
            for index, row in enumerate(block.rows):
                cells = [_cell(c) for c in row]
                if index in block.marked:
                    cells[0] += f" {MARKER}"
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
            if block.marked:
                lines += [f"*{MARKER} = {_md_escape(doc.labels.get('changed', ''))}*", ""]
        elif isinstance(block, D.Figure):
            lines += [f"**{_md_escape(block.title)}**", "", f"> {_md_escape(block.alt)}", ""]
    if doc.footnotes:
        lines += [f"[^{n}]: {_md_escape(text)}" for n, text in enumerate(doc.footnotes, 1)]
        lines.append("")
    return "\n".join(lines)


def article(doc: D.Document) -> str:
    """The letter as an ``<article>`` (headings from ``<h1>``), for a page around it."""
    parts: list[str] = ['<article class="progress-letter">']
    for block in doc.blocks:
        if isinstance(block, D.Fields):
            parts.append('<header class="letterhead">')
            parts.append(f"<p><strong>{escape(block.sender)}</strong></p>")
            parts.append("<address>" + "<br>".join(escape(a) for a in block.address) + "</address>")
            parts.append("<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>"
                                          for k, v in block.fields) + "</dl></header>")  # fmt: skip
        elif isinstance(block, D.Heading):
            parts.append(
                f'<h{block.level} id="{escape(block.id)}">{escape(block.text)}</h{block.level}>'
            )
        elif isinstance(block, D.Paragraph):
            parts.append(f"<p>{_runs(block.runs, 'html')}</p>")
        elif isinstance(block, D.Bullets):
            parts.append(
                "<ul>" + "".join(f"<li>{_runs(i, 'html')}</li>" for i in block.items) + "</ul>"
            )
        elif isinstance(block, D.Table):
            parts.append(_table(block, doc))
        elif isinstance(block, D.Figure):
            parts.append(f'<figure id="{escape(block.id)}">{block.svg}'
                         f"<figcaption>{escape(block.title)}</figcaption></figure>")  # fmt: skip
            parts.append(f"<p>{escape(block.alt)}</p>")
    if doc.footnotes:
        label = escape(doc.labels.get("footnotes", "Voetnoten"))
        parts.append(
            f'<section class="notes" aria-labelledby="noten"><h2 id="noten">{label}</h2><ol>'
        )
        parts += [
            f'<li id="noot-{n}">{escape(text)}</li>' for n, text in enumerate(doc.footnotes, 1)
        ]
        parts.append("</ol></section>")
    parts.append("</article>")
    return "\n".join(parts)


def _table(block: D.Table, doc: D.Document) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.header)
    rows = []
    for index, row in enumerate(block.rows):
        cls = ' class="changed"' if index in block.marked else ""
        first = escape(row[0]) + (f"\u00a0{MARKER}" if index in block.marked else "")
        cells = f'<th scope="row">{first}</th>' + "".join(f"<td>{escape(c)}</td>" for c in row[1:])
        rows.append(f"<tr{cls}>{cells}</tr>")
    legend = ""
    if block.marked:
        legend = f"<p><em>{MARKER} = {escape(doc.labels.get('changed', ''))}</em></p>"
    return (
        f'<div class="table-scroll" role="region" tabindex="0" '
        f'aria-labelledby="{block.id}-caption">'
        f'<table id="{escape(block.id)}"><caption id="{block.id}-caption">{escape(block.caption)}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f"{legend}"
    )


def html(doc: D.Document) -> str:
    """A page of its own: language, title, styles inline, no script."""
    lang = "nl-NL" if doc.lang == "nl" else "en-GB"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title)}</title>\n"
        f'<meta name="author" content="{escape(doc.author)}">\n'
        f'<meta name="date" content="{escape(doc.date)}">\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{article(doc)}\n</main>\n</body>\n</html>\n"
    )

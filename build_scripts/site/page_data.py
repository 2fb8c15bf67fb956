"""The data pages: the package overview, each resource's schema and preview, the code to load it."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from ..data import schema
from ..data.model import Portal
from ..publish import formats
from ..publish.jsonld import package_jsonld, table_jsonld
from ..site import i18n
from ..site.i18n import date_text, t
from ..site.markdown import link, safe_url, table, text
from .page_code import code_snippets, excel_csv_advice
from .page_home import _package_downloads
from .page_parts import PREVIEW_ROWS, PageContext, _downloads, _unsearched, cite_box, jsonld_block
from .page_share import package_cite_box

STANDARD_URL = "https://datapackage.org/"  # the Data Package standard the descriptor follows (package.py)


def data_overview(ctx: PageContext) -> str:
    portal, lang, page = ctx.portal, ctx.lang, "data/index.md"
    meta = portal.metadata
    out = [
        ctx.front(t("data", lang), meta["description"][lang]),
        f"# {text(t('data', lang))}\n\n",
        f"{text(meta['description'][lang])}\n\n",
    ]
    out.append(
        f"- **{text(t('version', lang).capitalize())}:** {text(meta['version'])}\n- **{text(t('published', lang))}:** "
        f"{text(date_text(date.fromisoformat(str(meta['released'])), lang))}\n"
        f'- **{text(t("package_standard", lang))}:** <a href="{safe_url(STANDARD_URL)}">'
        f"{text(t('package_standard_value', lang))}</a>\n"
        f'- **{text(t("licence", lang))}:** <a href="{safe_url(meta["license"]["path"])}">'
        f"{text(meta['license']['title'])}</a>\n\n"
    )
    out.append(_package_downloads(ctx, page))
    rows = [
        [
            link(r.titles[lang], f"{r.name}.md"),
            text(r.descriptions[lang]),
            text(i18n.number(_row_count(portal, r.name), lang)),
        ]
        for r in schema.resources()
    ]
    out.append(
        table(
            [text(t("data", lang)), text(t("description", lang)), text(t("rows", lang))],
            rows,
            ["left", "left", "right"],
        )
    )
    out.append(f"\n## {text(t('load_with', lang))}\n\n")
    out.append(code_snippets(ctx))
    out.append(package_cite_box(ctx))
    rows = {r.name: _row_count(portal, r.name) for r in schema.resources()}
    out.append(jsonld_block(package_jsonld(portal, ctx.site_url, lang, rows)))
    return "".join(out)


def _row_count(portal: Portal, name: str) -> int:
    """Rows of a resource: records, not lines (a quoted value may hold a line break)."""
    if name == "observations":
        return len(portal.observations)
    return len(portal.small_table(name))


def resource_page(ctx: PageContext, name: str) -> str:
    portal, lang = ctx.portal, ctx.lang
    page = f"data/{name}.md"
    resource = schema.resource(name)
    title = resource.titles[lang]
    description = resource.descriptions[lang]
    out = [ctx.front(title, description, ("resource", name)), f"# {text(title)}\n\n{text(description)}\n\n"]
    out.append(
        f"- **{text(t('rows', lang).capitalize())}:** {text(i18n.number(_row_count(portal, name), lang))}\n"
        f"- **{text(t('primary_key', lang).capitalize())}:** `{', '.join(resource.primary_key)}`\n\n"
    )
    listed = formats.downloads(formats.RESOURCE, name, portal.files, _row_count(portal, name))
    out.append(_downloads(ctx, page, [(t(fmt.key, lang), f"downloads/{file}") for fmt, file in listed]))
    if any(fmt.key == "excel" for fmt, _ in listed):
        out.append(excel_csv_advice(ctx, name))
    out.append(f"## {text(t('schema', lang))}\n\n")
    rows = []
    for column in resource.published_fields:
        field = resource.field_def(column)
        constraints = []
        if resource.is_required(column):
            constraints.append(t("required", lang))
        for key, value in field.constraints.items():
            constraints.append(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
        if column in resource.primary_key:
            constraints.append(t("primary_key", lang))
        for fk_field, ref, ref_field in resource.foreign_keys:
            if fk_field == column:
                constraints.append(f"→ {ref}.{ref_field}")
        rows.append([f"`{column}`", text(field.type), text(field.descriptions[lang]), text("; ".join(constraints))])
    out.append(table([text(t(k, lang)) for k in ("field", "type", "description", "constraints")], rows))
    out.append(f"\n## {text(t('preview', lang))}\n\n")
    frame = _preview_frame(portal, name)
    others = tuple(f"_{other}" for other in i18n.languages() if other != lang)
    frame = frame[[c for c in frame.columns if not c.endswith(others)]]  # the page's language only; the file has all
    out.append(
        _unsearched(
            table([f"`{c}`" for c in frame.columns], [[text(v) for v in r] for r in frame.itertuples(index=False)])
        )
    )
    url = f"{ctx.site_url}{ctx.lang_prefix}data/{name}/"
    out.append(cite_box(ctx, f"{portal.metadata['title'][lang]}: {title}", url, name))
    out.append(jsonld_block(table_jsonld(portal, ctx.site_url, lang, name, _row_count(portal, name))))
    return "".join(out)


def _preview_frame(portal: Portal, name: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(portal.files[name]), dtype=str, keep_default_na=False, nrows=PREVIEW_ROWS)

"""schema.org Dataset markup of a built site, checked against Google's Dataset rules.

The rules are those of Google's page "Dataset (Dataset, DataCatalog, DataDownload) structured data",
https://developers.google.com/search/docs/appearance/structured-data/dataset :

- required: name, and a description of 50 to 5000 characters;
- recommended: alternateName, creator (a Person or an Organization, with its name, and url where
  known), citation, funder, hasPart / isPartOf, identifier (a URL, a DOI or text, or a PropertyValue),
  isAccessibleForFree, keywords, license (a URL or a CreativeWork), measurementTechnique, sameAs,
  spatialCoverage (text or a Place), temporalCoverage (ISO 8601: a date or an interval, '..' for an
  open end), variableMeasured (text or a PropertyValue), version, url (the page about the dataset);
- DataCatalog: includedInDataCatalog; DataDownload: distribution, each with contentUrl and
  encodingFormat.

Of the recommended properties, those a portal's data always answers are checked as required
(EXPECTED); those only a publisher can answer (WHEN_GIVEN: funder, citation ...) are checked when given.
What this portal's design adds to Google's rules: one Dataset a page; every contentUrl names a file of
the site, and each encodingFormat is a media type; each hasPart and isPartOf names a Dataset of the site,
which names it back; and a Dataset of the whole package (one that has parts and is part of none) lists
every file of downloads/ (but the package descriptor) as a distribution.

dataset_markup_problems(site, site_url) returns one line per problem, each starting with the page's
path under site.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

GOOGLE_DATASET_RULES = "https://developers.google.com/search/docs/appearance/structured-data/dataset"
REQUIRED = ("name", "description")
EXPECTED = (
    "creator",
    "identifier",
    "isAccessibleForFree",
    "keywords",
    "license",
    "spatialCoverage",
    "temporalCoverage",
    "variableMeasured",
    "version",
    "url",
    "includedInDataCatalog",
    "distribution",
)
WHEN_GIVEN = ("alternateName", "citation", "funder", "hasPart", "isPartOf", "measurementTechnique", "sameAs")
DESCRIPTION_CHARACTERS = (50, 5000)
CREATOR_TYPES = {"Person", "Organization"}
NOT_DISTRIBUTIONS = {"datapackage.json"}  # the package's descriptor: its metadata, not a copy of its data
METADATA_SUFFIX = "-metadata.json"  # a CSVW description of a CSV file beside it
MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9][a-z0-9!#$&^_.+-]*")
_DATE = r"[+-]?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?"
ISO_8601 = re.compile(rf"{_DATE}|({_DATE}|\.\.)/({_DATE}|\.\.)")
SCHEMA_CONTEXT = re.compile(r"https?://schema\.org/?")


def dataset_markup_problems(site: Path, site_url: str) -> list[str]:
    """Every problem of the schema.org Dataset markup of the HTML pages of the built site at site, whose
    address is site_url, as Google's Dataset rules (GOOGLE_DATASET_RULES) and the module's notes state."""
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    problems: list[str] = []
    datasets: list[tuple[str, dict]] = []  # (page, Dataset), every one of the site
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        found = [node for node in _nodes(page, path.read_text(encoding="utf-8"), problems) if _is(node, "Dataset")]
        if len(found) > 1:
            problems.append(f"{page}: {len(found)} Dataset blocks; Google wants one Dataset a page, the page about it")
        datasets += [(page, node) for node in found]
    by_id = {key: (page, node) for page, node in datasets for key in _keys(node)}
    for page, node in datasets:
        problems += [f"{page}: {problem}" for problem in _dataset_problems(node, site, site_url)]
        problems += [f"{page}: {problem}" for problem in _part_problems(node, by_id)]
    problems += _package_problems(datasets, site, site_url)
    return problems


# ------------------------------------------------------------------ extraction


class JsonLdScripts(HTMLParser):
    """The text of each <script type="application/ld+json"> element of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        self._inside = tag == "script" and kind == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def _nodes(page: str, html: str, problems: list[str]) -> list[dict]:
    """The top-level JSON-LD objects of a page (a list or an @graph opened); a block that is no JSON is a
    problem."""
    parser = JsonLdScripts()
    parser.feed(html)
    out = []
    for index, block in enumerate(parser.blocks, 1):
        try:
            data = json.loads(block)
        except json.JSONDecodeError as error:
            problems.append(f"{page}: JSON-LD block {index} is not JSON ({error.msg}, line {error.lineno})")
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                context = item.get("@context")
                out += [{"@context": context, **node} for node in item["@graph"] if isinstance(node, dict)]
            elif isinstance(item, dict):
                out.append(item)
    return out


def _is(node, kind: str) -> bool:
    types = node.get("@type") if isinstance(node, dict) else None
    return kind in (types if isinstance(types, list) else [types])


def _listed(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _keys(node: dict) -> list[str]:
    """How other Datasets may name it: its @id and its url."""
    return [key for key in (node.get("@id"), node.get("url")) if isinstance(key, str) and key]


def _reference(value) -> str | None:
    """The address a hasPart or isPartOf value names: a URL, or an object's @id or url."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return next(iter(_keys(value)), None)
    return None


# ------------------------------------------------------------------ one Dataset


def _dataset_problems(node: dict, site: Path, site_url: str) -> list[str]:
    out = []
    if not SCHEMA_CONTEXT.fullmatch(str(node.get("@context", ""))):
        out.append(f"@context is {node.get('@context')!r}, not https://schema.org/")
    for key in REQUIRED:
        if not _text(node.get(key)):
            out.append(f"no {key} (required by Google)")
    description = node.get("description")
    low, high = DESCRIPTION_CHARACTERS
    if _text(description) and not low <= len(description) <= high:
        out.append(f"description has {len(description)} characters; Google wants {low} to {high}: {description!r}")
    for key in EXPECTED:
        if node.get(key) in (None, "", [], {}):
            out.append(f"no {key} (recommended by Google)")
    for key, check in CHECKS.items():
        if node.get(key) not in (None, "", [], {}):
            out += [f"{key}: {problem}" for problem in check(node[key], site, site_url)]
    return out


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _creator(value, site, site_url) -> list[str]:
    out = []
    for agent in _listed(value):
        if not isinstance(agent, dict) or not CREATOR_TYPES & set(_listed(agent.get("@type"))):
            out.append(f"{_short(agent)} is not typed Person or Organization")
        elif not _text(agent.get("name")):
            out.append(f"{_short(agent)} has no name")
        elif "url" in agent and not _is_url(agent["url"]):
            out.append(f"url {agent['url']!r} is not an absolute URL")
    return out


def _identifier(value, site, site_url) -> list[str]:
    out = []
    for item in _listed(value):
        if isinstance(item, dict):
            if not _is(item, "PropertyValue") or item.get("value") in (None, ""):
                out.append(f"{_short(item)} is neither text nor a PropertyValue with a value")
        elif not _text(item):
            out.append(f"{item!r} is not text, a URL or a DOI")
    return out


def _free(value, site, site_url) -> list[str]:
    return [] if isinstance(value, bool) else [f"{value!r} is not true or false"]


def _keywords(value, site, site_url) -> list[str]:
    words = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if words is None or not words:
        return [f"{_short(value)} is no list of keywords"]
    return [f"{_short(word)} is not a keyword" for word in words if not (_text(word) or isinstance(word, dict))]


def _license(value, site, site_url) -> list[str]:
    if isinstance(value, dict):
        ok = _is(value, "CreativeWork") and (_is_url(value.get("url")) or _text(value.get("name")))
        return [] if ok else [f"{_short(value)} is neither a URL nor a CreativeWork with a url or name"]
    return [] if _is_url(value) else [f"{value!r} is not a URL"]


def _spatial(value, site, site_url) -> list[str]:
    out = []
    for place in _listed(value):
        if isinstance(place, str):
            continue
        if not _is(place, "Place"):
            out.append(f"{_short(place)} is neither text nor a Place")
        elif not (_text(place.get("name")) or place.get("geo")):
            out.append(f"{_short(place)} is a Place with neither a name nor a geo")
    return out


def _temporal(value, site, site_url) -> list[str]:
    return [] if isinstance(value, str) and ISO_8601.fullmatch(value) else [f"{value!r} is not ISO 8601"]


def _variables(value, site, site_url) -> list[str]:
    out = []
    for variable in _listed(value):
        if isinstance(variable, dict):
            if not _is(variable, "PropertyValue") or not _text(variable.get("name")):
                out.append(f"{_short(variable)} is not a PropertyValue with a name")
        elif not _text(variable):
            out.append(f"{variable!r} is neither text nor a PropertyValue")
    return out


def _version(value, site, site_url) -> list[str]:
    ok = (isinstance(value, (int, float)) and not isinstance(value, bool)) or _text(value)
    return [] if ok else [f"{value!r} is neither text nor a number"]


def _url(value, site, site_url) -> list[str]:
    if not _is_url(value):
        return [f"{value!r} is not an absolute URL"]
    if value.startswith(site_url) and _site_file(site, value.removeprefix(site_url)) is None:
        return [f"{value} is no page of the site"]
    return []


def _catalog(value, site, site_url) -> list[str]:
    out = []
    for catalog in _listed(value):
        if not _is(catalog, "DataCatalog") or not (_text(catalog.get("name")) or catalog.get("@id")):
            out.append(f"{_short(catalog)} is not a DataCatalog with a name")
    return out


def _distribution(value, site, site_url) -> list[str]:
    out = []
    for download in _listed(value):
        if not _is(download, "DataDownload"):
            out.append(f"{_short(download)} is not a DataDownload")
            continue
        url, media = download.get("contentUrl"), download.get("encodingFormat")
        if not _is_url(url):
            out.append(f"{_short(download)} has no contentUrl")
        elif not url.startswith(site_url) or _site_file(site, url.removeprefix(site_url), pages=False) is None:
            out.append(f"{url} is no file of the site")
        if not (isinstance(media, str) and MEDIA_TYPE.fullmatch(media)):
            out.append(f"{url}: encodingFormat {media!r} is not a media type")
    return out


def _urls(value, site, site_url) -> list[str]:
    return [f"{item!r} is not an absolute URL" for item in _listed(value) if not _is_url(item)]


def _names(value, site, site_url) -> list[str]:
    return [f"{item!r} is not a name" for item in _listed(value) if not _text(item)]


CHECKS = {  # property -> its check: (value, site, site_url) -> problems
    "alternateName": _names,
    "creator": _creator,
    "identifier": _identifier,
    "isAccessibleForFree": _free,
    "keywords": _keywords,
    "license": _license,
    "sameAs": _urls,
    "spatialCoverage": _spatial,
    "temporalCoverage": _temporal,
    "variableMeasured": _variables,
    "version": _version,
    "url": _url,
    "includedInDataCatalog": _catalog,
    "distribution": _distribution,
}


def _is_url(value) -> bool:
    return isinstance(value, str) and re.match(r"https?://[^\s/]+", value) is not None


def _site_file(site: Path, relative: str, pages: bool = True) -> Path | None:
    """The file of the site an address under its URL names (a folder's index.html, for pages)."""
    relative = relative.split("#")[0].split("?")[0]
    candidates = [site / relative]
    if pages:
        candidates.append(site / relative / "index.html")
    return next((path for path in candidates if path.is_file()), None)


def _short(value) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 80 else shown[:77] + "..."


# ------------------------------------------------------------------ the package and its parts


def _part_problems(node: dict, by_id: dict[str, tuple[str, dict]]) -> list[str]:
    """Each hasPart and isPartOf names a Dataset of the site that names this one back; a Dataset is the
    package (it has parts) or part of one."""
    out = []
    keys = set(_keys(node))
    for relation, inverse in (("hasPart", "isPartOf"), ("isPartOf", "hasPart")):
        for value in _listed(node.get(relation)):
            if isinstance(value, dict) and "name" in value:  # a part given in full, not named by its address
                out += [f"{relation}: {problem}" for problem in _inline_problems(value)]
                continue
            address = _reference(value)
            if address is None:
                out.append(f"{relation}: {_short(value)} names no Dataset")
            elif address not in by_id:
                out.append(f"{relation}: {address} is no Dataset of the site")
            elif not keys & {_reference(back) for back in _listed(by_id[address][1].get(inverse))}:
                out.append(f"{relation}: {address} does not name it in its {inverse}")
    if not node.get("hasPart") and not node.get("isPartOf"):
        out.append("neither hasPart nor isPartOf: the Dataset is neither the whole package nor part of it")
    return out


def _inline_problems(node: dict) -> list[str]:
    """A Dataset given in full inside another: Google's required properties."""
    low, high = DESCRIPTION_CHARACTERS
    description = node.get("description")
    if not _text(node.get("name")) or not _text(description):
        return [f"{_short(node)} has no name or no description (required by Google)"]
    return (
        [] if low <= len(description) <= high else [f"{node['name']!r}: description of {len(description)} characters"]
    )


def _package_problems(datasets: list[tuple[str, dict]], site: Path, site_url: str) -> list[str]:
    """A Dataset of the whole package (one with parts, part of none) exists, and each lists every file of
    downloads/ as a distribution."""
    packages = [(page, node) for page, node in datasets if node.get("hasPart") and not node.get("isPartOf")]
    if not packages:
        return ["(site): no page has a Dataset of the whole package, one with hasPart and no isPartOf"]
    downloads = site / "downloads"
    files = sorted(
        path.name
        for path in (downloads.iterdir() if downloads.is_dir() else [])
        if path.is_file()
        and path.name not in NOT_DISTRIBUTIONS
        and not path.name.endswith(METADATA_SUFFIX)
        and not path.name.startswith(".")
    )
    out = []
    for page, node in packages:
        listed = {d.get("contentUrl") for d in _listed(node.get("distribution")) if isinstance(d, dict)}
        missing = [name for name in files if f"{site_url}downloads/{name}" not in listed]
        if missing:
            out.append(
                f"{page}: the package's Dataset lists {len(files) - len(missing)} of the {len(files)} files of "
                f"downloads/; not {', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}"
            )
    return out

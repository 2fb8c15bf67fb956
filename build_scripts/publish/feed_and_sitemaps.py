"""Stage 7: what tells readers and crawlers of changes and pages: the Atom feed of releases, robots.txt,
and the sitemaps' links between the languages of a page (hreflang).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from ..publish.releases import Release, diff_files


def atom_feed(releases: list[Release], metadata: dict, site_url: str, language: str) -> bytes:
    """An Atom feed with one entry per release, newest first, summarising the observation changes."""
    entries, previous = [], {}
    for release in releases:
        changes = [c for c in diff_files(previous, release.files) if c.resource == "observations"]
        counts = {k: sum(1 for c in changes if c.kind == k) for k in ("added", "removed", "changed")}
        entries.append((release, counts))
        previous = release.files
    updated = releases[-1].released if releases else str(metadata["released"])
    title = xml_escape(metadata["title"][language])
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{title}: releases</title>",
        f'  <link href="{site_url}" />',
        f'  <link rel="self" href="{site_url}feed.xml" />',
        f"  <id>{site_url}feed.xml</id>",
        f"  <updated>{updated}T00:00:00Z</updated>",
        f"  <author><name>{xml_escape(metadata['creator'])}</name></author>",
    ]
    for release, counts in reversed(entries):
        summary = f"Observations: {counts['added']} added, {counts['removed']} removed, {counts['changed']} changed."
        lines += [
            "  <entry>",
            f"    <title>Version {xml_escape(release.version)}</title>",
            f"    <id>{site_url}releases/{xml_escape(release.version)}</id>",
            f'    <link href="{site_url}data/" />',
            f"    <updated>{release.released}T00:00:00Z</updated>",
            f"    <summary>{xml_escape(summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(site_url: str, prefixes: list[str]) -> bytes:
    """Every sitemap the site has: MkDocs writes one at the root of each language's site (prefixes: each
    language's folder under the site root, '' for the default language's)."""
    sitemaps = "".join(f"Sitemap: {site_url}{prefix}sitemap.xml\n" for prefix in prefixes)
    return f"User-agent: *\nAllow: /\n\n{sitemaps}".encode()


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def add_hreflang_to_sitemaps(site: Path, site_url: str, prefixes: dict[str, str], default: str) -> None:
    """Add to every sitemap entry the same page in each language (hreflang), as search engines read them.

    prefixes: language -> its folder under the site root ('' or 'en/').
    """
    import gzip
    import xml.etree.ElementTree as ET

    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    for prefix in prefixes.values():
        path = site / prefix / "sitemap.xml"
        if not path.exists():
            continue
        tree = ET.parse(path)
        for url in tree.getroot().findall(f"{{{SITEMAP_NS}}}url"):
            page = url.findtext(f"{{{SITEMAP_NS}}}loc").removeprefix(site_url + prefix)
            for other, other_prefix in [*prefixes.items(), ("x-default", prefixes[default])]:
                ET.SubElement(
                    url,
                    f"{{{XHTML_NS}}}link",
                    {"rel": "alternate", "hreflang": other, "href": f"{site_url}{other_prefix}{page}"},
                )
        ET.indent(tree)
        content = ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True) + b"\n"
        path.write_bytes(content)
        (path.parent / "sitemap.xml.gz").write_bytes(gzip.compress(content, mtime=0))

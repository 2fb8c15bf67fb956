"""The controlled vocabularies the DCAT catalogue names (publish/catalog.py), and what it states of each
concept it uses: the table (skos:inScheme) it is in, and its label where DCAT-AP 3 types it skos:Concept.

The validator of data.europa.eu checks each concept against its table, which it loads beside the
catalogue; a harvester offline has only the catalogue, so the catalogue says it itself. package.yml
names a licence type and a publisher type by their codes here (config/files.py checks them).
"""

from __future__ import annotations

EU = "http://publications.europa.eu/resource/authority/"  # the EU Publications Office's authority tables
ADMS = "http://purl.org/adms/"

# The EU data-theme table: code -> English label (DCAT-AP: at least one dataset theme from it).
DATA_THEMES = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "OP_DATPRO": "Provisional data",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
DATA_THEME_SCHEME = (f"{EU}data-theme", "Data theme")

# ADMS licence types (DCAT-AP 3: recommended dct:type of a licence): code -> label.
LICENCE_TYPES = {
    "Attribution": "Attribution",
    "PublicDomain": "Public domain",
    "ViralEffect-ShareAlike": "Viral effect (a.k.a. Share-alike)",
    "NonCommercialUseOnly": "Non-commercial use only",
    "NoDerivativeWork": "No derivative work",
    "RoyaltiesRequired": "Royalties required",
}
LICENCE_TYPE_SCHEME = (f"{ADMS}licencetype/1.0", "Licence type")
# the types of well-known licences by their SPDX identifier (package.yml license.name), used when
# package.yml names none (license.types)
LICENCE_TYPES_OF = {
    "CC-BY-4.0": ("Attribution",),
    "CC-BY-SA-4.0": ("Attribution", "ViralEffect-ShareAlike"),
    "CC-BY-NC-4.0": ("Attribution", "NonCommercialUseOnly"),
    "CC-BY-ND-4.0": ("Attribution", "NoDerivativeWork"),
    "CC0-1.0": ("PublicDomain",),
    "PDDL-1.0": ("PublicDomain",),
    "ODC-By-1.0": ("Attribution",),
    "ODbL-1.0": ("Attribution", "ViralEffect-ShareAlike"),
    "BSD-3-Clause": ("Attribution",),
    "MIT": ("Attribution",),
}

# ADMS publisher types (DCAT-AP 3: recommended dct:type of an agent): code -> label.
PUBLISHER_TYPES = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "LocalAuthority": "Local Authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-Governmental Organisation",
    "NonProfitOrganisation": "Non-Profit Organisation",
    "PrivateIndividual(s)": "Private Individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}
PUBLISHER_TYPE_SCHEME = (f"{ADMS}publishertype/1.0", "Publisher type")

# The planned availability of the downloads (DCAT-AP 3: recommended on each distribution): the files
# stay at their addresses from release to release.
AVAILABILITY = (f"{EU}planned-availability/STABLE", "stable")


def eu_scheme(iri: str) -> str | None:
    """The EU authority table an IRI of one is in ('.../authority/country/VNM' -> '.../authority/country')."""
    if not iri.startswith(EU):
        return None
    head, _, code = iri.rstrip("/").rpartition("/")
    return head if code and head != EU.rstrip("/") else None


def in_scheme(scheme: str | None) -> dict:
    return {"skos:inScheme": {"@id": scheme}} if scheme else {}


def concept(iri: str, label: str, scheme: str | None) -> dict:
    """A concept of a controlled vocabulary as JSON-LD: its type, English label and table."""
    return {
        "@id": iri,
        "@type": "skos:Concept",
        "skos:prefLabel": {"@value": label, "@language": "en"},
        **in_scheme(scheme),
    }


def concept_scheme(scheme: tuple[str, str]) -> dict:
    iri, title = scheme
    return {"@id": iri, "@type": "skos:ConceptScheme", "dct:title": {"@value": title, "@language": "en"}}


def adms_concept(kind: str, code: str) -> dict:
    """A licence type ('licencetype') or publisher type ('publishertype') of ADMS as JSON-LD, its table
    described (the Codelists shapes check the publisher type's table is a skos:ConceptScheme)."""
    labels, scheme = (
        (LICENCE_TYPES, LICENCE_TYPE_SCHEME) if kind == "licencetype" else (PUBLISHER_TYPES, PUBLISHER_TYPE_SCHEME)
    )
    return {**concept(f"{ADMS}{kind}/{code}", labels[code], None), "skos:inScheme": concept_scheme(scheme)}

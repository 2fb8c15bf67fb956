"""Every field and resource of the data package, defined once.

The descriptor (datapackage.json), the validation, the schema tables on the
site and the API all read these definitions. A resource only lists field
names; the field itself (type, constraints, descriptions in both languages)
lives in FIELDS.
"""

from __future__ import annotations

from dataclasses import dataclass, field

UNITS = (
    "percent",
    "percent_change",
    "Mbps",
    "Tbps",
    "count",
    "rank",
    "rank_change",
    "VND",
    "USD",
    "times",
)
SHARE_UNITS = ("percent",)
PILLARS = (
    "digital-government",
    "digital-economy",
    "digital-society",
    "digital-infrastructure",
    "project-06",
)
KINDS = ("actual", "target")
QUALIFIERS = ("approx", "more_than", "less_than", "estimate")
PLACE_LEVELS = ("world", "country", "province")
EVENT_KINDS = ("committee-session", "conference")

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_CHARS = 64  # an identifier names a page, a chart and download files: short, and safe in every file system
# The site's own page in each section (index.md) and its topic pages (pillar-<pillar>.md) take these
# names, so no identifier may: an indicator 'index' would replace the catalogue.
INDEX_PAGE = "index"
PILLAR_PAGE_PREFIX = "pillar-"
# Patterns spell digits [0-9]: re's \d takes any script's digits ('٢٠٢٢' would pass as a year).
PERIOD = r"^[0-9]{4}(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
GEO = r"^(VN|WORLD|VN-[0-9]{2}|VN-2025-[0-9]{2}|[A-Z]{2}(-[A-Z0-9]{1,6})*)$"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description_en: str
    description_vi: str
    required: bool = True
    constraints: dict = field(default_factory=dict)
    multiline: bool = False  # may hold line breaks and tabs (textrules.py); other fields are one line

    def descriptor(self) -> dict:
        constraints = dict(self.constraints)
        if self.required:
            constraints = {"required": True, **constraints}
        out = {
            "name": self.name,
            "type": self.type,
            "description": self.description_en,
            "description_vi": self.description_vi,
        }
        if self.type == "number":
            out["bareNumber"] = True
        if constraints:
            out["constraints"] = constraints
        if self.type == "boolean":
            out["trueValues"] = ["true"]
            out["falseValues"] = ["false"]
        return out


def _f(name, type_, en, vi, required=True, multiline=False, **constraints) -> Field:
    return Field(name, type_, en, vi, required, constraints, multiline)


FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        _f(
            "indicator_id",
            "string",
            "Identifier of the indicator (kebab-case slug).",
            "Mã chỉ số (chữ thường, nối bằng gạch ngang).",
            pattern=SLUG,
            maxLength=ID_CHARS,
        ),
        _f(
            "geo",
            "string",
            "Place code: VN for the country, WORLD for world averages, ISO 3166-2 for provinces "
            "(VN-2025-NN for provinces formed in 2025, NN the statistics-office code).",
            "Mã địa bàn: VN là cả nước, WORLD là mức trung bình thế giới, mã ISO 3166-2 cho tỉnh "
            "(VN-2025-NN cho tỉnh hình thành năm 2025, NN là mã thống kê).",
            pattern=GEO,
            maxLength=ID_CHARS,
        ),
        _f(
            "period",
            "string",
            "Reference period: YYYY, YYYY-H1/H2, YYYY-Qn, YYYY-MM or YYYY-MM-DD (a point in time).",
            "Kỳ số liệu: YYYY, YYYY-H1/H2 (6 tháng), YYYY-Qn (quý), YYYY-MM hoặc YYYY-MM-DD (thời điểm).",
            pattern=PERIOD,
        ),
        _f(
            "kind",
            "string",
            "actual for a reported result, target for a plan or goal.",
            "actual là kết quả đạt được, target là kế hoạch hoặc mục tiêu.",
            enum=list(KINDS),
        ),
        _f(
            "value",
            "number",
            "The figure in the indicator's unit, as a plain number.",
            "Giá trị theo đơn vị của chỉ số, dạng số thuần.",
        ),
        _f(
            "qualifier",
            "string",
            "How the source qualifies the figure: approx (about), more_than, less_than, estimate; empty if exact.",
            "Cách nguồn diễn đạt con số: approx (khoảng), more_than (trên, hơn, vượt), less_than (dưới), "
            "estimate (ước đạt); để trống nếu là số chính xác.",
            required=False,
            enum=list(QUALIFIERS),
        ),
        _f(
            "is_derived",
            "boolean",
            "true when the figure was computed from printed figures; the arithmetic is in note.",
            "true nếu con số được tính từ các số liệu đã công bố; phép tính ghi ở cột note.",
        ),
        _f(
            "source_id",
            "string",
            "Identifier of the source document.",
            "Mã tài liệu nguồn.",
            pattern=SLUG,
            maxLength=ID_CHARS,
        ),
        _f(
            "line",
            "integer",
            "1-based line of the archived source file where the figure is printed.",
            "Dòng (đếm từ 1) trong tệp lưu trữ của nguồn, nơi con số được in.",
            minimum=1,
        ),
        _f(
            "as_written",
            "string",
            "The figure exactly as printed on that line.",
            "Con số đúng như được in trên dòng đó.",
        ),
        _f(
            "note_vi",
            "string",
            "Curator's note in Vietnamese: period choice, derivation, caveats.",
            "Ghi chú của người biên soạn bằng tiếng Việt: cách chọn kỳ, phép tính, lưu ý.",
            required=False,
            multiline=True,
        ),
        _f(
            "note_en",
            "string",
            "Curator's note in English: period choice, derivation, caveats.",
            "Ghi chú của người biên soạn bằng tiếng Anh: cách chọn kỳ, phép tính, lưu ý.",
            required=False,
            multiline=True,
        ),
        _f(
            "attributed_to_vi",
            "string",
            "Who the source says produced or reported the figure, in Vietnamese; empty when it does not say.",
            "Cơ quan mà nguồn nêu là đã đưa ra hoặc báo cáo con số, bằng tiếng Việt; để trống nếu nguồn không nêu.",
            required=False,
        ),
        _f(
            "attributed_to_en",
            "string",
            "Who the source says produced or reported the figure, in English; empty when it does not say.",
            "Cơ quan mà nguồn nêu là đã đưa ra hoặc báo cáo con số, bằng tiếng Anh; để trống nếu nguồn không nêu.",
            required=False,
        ),
        _f("name_vi", "string", "Name in Vietnamese.", "Tên tiếng Việt."),
        _f("name_en", "string", "Name in English.", "Tên tiếng Anh."),
        _f("description_vi", "string", "Definition in Vietnamese.", "Định nghĩa bằng tiếng Việt.", multiline=True),
        _f("description_en", "string", "Definition in English.", "Định nghĩa bằng tiếng Anh.", multiline=True),
        _f(
            "unit",
            "string",
            "Unit of value. percent is a share between 0 and 100.",
            "Đơn vị của giá trị. percent là tỷ lệ từ 0 đến 100.",
            enum=list(UNITS),
        ),
        _f(
            "pillar",
            "string",
            "Pillar of the national digital-transformation programme.",
            "Trụ cột của chương trình chuyển đổi số quốc gia.",
            enum=list(PILLARS),
        ),
        _f(
            "higher_is_better",
            "boolean",
            "true when a higher value is an improvement.",
            "true nếu giá trị cao hơn là tốt hơn.",
        ),
        _f(
            "is_headline",
            "boolean",
            "true for the key indicators shown on the home page.",
            "true với các chỉ số chính hiển thị ở trang chủ.",
        ),
        _f(
            "level",
            "string",
            "world, country or province.",
            "Cấp: world, country hoặc province.",
            enum=list(PLACE_LEVELS),
        ),
        _f(
            "gso_code",
            "string",
            "Code of the General Statistics Office for a province.",
            "Mã đơn vị hành chính của Tổng cục Thống kê.",
            required=False,
            pattern=r"^[0-9]{2}$",
        ),
        _f(
            "valid_from",
            "date",
            "First day the place existed in this form (empty: before the data).",
            "Ngày bắt đầu tồn tại (trống: trước thời kỳ số liệu).",
            required=False,
        ),
        _f(
            "valid_to",
            "date",
            "Last day the place existed in this form (empty: still exists).",
            "Ngày cuối cùng tồn tại (trống: vẫn tồn tại).",
            required=False,
        ),
        _f(
            "successor",
            "string",
            "geo of the place it was merged into.",
            "Mã địa bàn mà địa bàn này được sáp nhập vào.",
            required=False,
        ),
        _f(
            "reference_vi",
            "string",
            "Where the facts about the place come from, in Vietnamese.",
            "Căn cứ của thông tin về địa bàn, bằng tiếng Việt.",
            required=False,
        ),
        _f(
            "reference_en",
            "string",
            "Where the facts about the place come from, in English.",
            "Căn cứ của thông tin về địa bàn, bằng tiếng Anh.",
            required=False,
        ),
        _f("title", "string", "Title as printed.", "Tiêu đề như được in."),
        _f(
            "publisher",
            "string",
            "Publisher as evident from the document.",
            "Đơn vị xuất bản theo tài liệu.",
            required=False,
        ),
        _f(
            "published",
            "date",
            "Publication date where the document shows it.",
            "Ngày đăng nếu tài liệu có ghi.",
            required=False,
        ),
        _f("place", "string", "Province the article reports from.", "Tỉnh nơi bài viết đưa tin.", required=False),
        _f(
            "url",
            "string",
            "Address of the original article; empty when unknown, never invented.",
            "Địa chỉ bài gốc; để trống nếu không rõ.",
            required=False,
            pattern=r"^https?://\S+$",
        ),
        _f("language", "string", "Language of the document (BCP 47).", "Ngôn ngữ (BCP 47).", pattern=r"^[a-z]{2,3}$"),
        _f(
            "archive_file",
            "string",
            "File name of the archived copy.",
            "Tên tệp lưu trữ.",
            pattern=r"^[A-Za-z0-9_.-]+$",
        ),
        _f(
            "archive_sha256",
            "string",
            "SHA-256 of the archived copy.",
            "Mã băm SHA-256 của bản lưu trữ.",
            pattern=r"^[0-9a-f]{64}$",
        ),
        _f(
            "event_id",
            "string",
            "Identifier of the session or conference.",
            "Mã phiên họp hoặc hội nghị.",
            pattern=SLUG,
            maxLength=ID_CHARS,
        ),
        _f("date", "date", "Date of the session or conference.", "Ngày diễn ra."),
        _f(
            "event_kind",
            "string",
            "committee-session or conference.",
            "Phiên họp Ủy ban hoặc hội nghị.",
            enum=list(EVENT_KINDS),
        ),
        _f(
            "session_number",
            "integer",
            "Number of the committee session, where stated.",
            "Số thứ tự phiên họp, nếu có.",
            required=False,
            minimum=1,
        ),
        _f("title_vi", "string", "Title in Vietnamese.", "Tiêu đề tiếng Việt."),
        _f("title_en", "string", "Title in English.", "Tiêu đề tiếng Anh."),
        _f("chair", "string", "Who chaired it, as printed.", "Người chủ trì."),
    ]
}


@dataclass(frozen=True)
class Resource:
    name: str
    title_en: str
    title_vi: str
    description_en: str
    description_vi: str
    fields: tuple[str, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)
    optional_fields: tuple[str, ...] = ()  # nullable in this resource although required elsewhere
    renames: dict = field(default_factory=dict)  # column name -> FIELDS key

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    def field_def(self, column: str) -> Field:
        return FIELDS[self.renames.get(column, column)]

    def is_required(self, column: str) -> bool:
        return self.field_def(column).required and column not in self.optional_fields

    def table_schema(self) -> dict:
        fields = []
        for column in self.fields:
            d = self.field_def(column).descriptor()
            d["name"] = column
            if not self.is_required(column):
                d.get("constraints", {}).pop("required", None)
                if d.get("constraints") == {}:
                    d.pop("constraints")
            fields.append(d)
        schema = {"fields": fields, "missingValues": [""], "primaryKey": list(self.primary_key)}
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": f, "reference": {"resource": r, "fields": rf}} for f, r, rf in self.foreign_keys
            ]
        return schema


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "observations",
        "Observations",
        "Số liệu",
        "One row per figure printed in a source: indicator, place, period, value, and where it was printed.",
        "Mỗi dòng là một con số được in trong một nguồn: chỉ số, địa bàn, kỳ, giá trị và nơi in.",
        (
            "indicator_id",
            "geo",
            "period",
            "kind",
            "value",
            "qualifier",
            "is_derived",
            "source_id",
            "line",
            "as_written",
            "attributed_to_vi",
            "attributed_to_en",
            "note_vi",
            "note_en",
        ),
        ("indicator_id", "geo", "period", "kind", "source_id"),
        (
            ("indicator_id", "indicators", "indicator_id"),
            ("geo", "places", "geo"),
            ("source_id", "sources", "source_id"),
        ),
    ),
    Resource(
        "indicators",
        "Indicators",
        "Chỉ số",
        "What each indicator measures, its unit and pillar.",
        "Định nghĩa, đơn vị và trụ cột của từng chỉ số.",
        (
            "indicator_id",
            "name_vi",
            "name_en",
            "description_vi",
            "description_en",
            "unit",
            "pillar",
            "higher_is_better",
            "is_headline",
        ),
        ("indicator_id",),
    ),
    Resource(
        "places",
        "Places",
        "Địa bàn",
        "The country, world averages and provinces, with the 2025 reorganisation of provinces.",
        "Cả nước, mức trung bình thế giới và các tỉnh, kèm sắp xếp đơn vị hành chính năm 2025.",
        (
            "geo",
            "name_vi",
            "name_en",
            "level",
            "gso_code",
            "valid_from",
            "valid_to",
            "successor",
            "reference_vi",
            "reference_en",
        ),
        ("geo",),
        (("successor", "places", "geo"),),
    ),
    Resource(
        "sources",
        "Sources",
        "Nguồn",
        "The archived source documents, with their bibliographic data and checksums.",
        "Các tài liệu nguồn đã lưu trữ, thông tin thư mục và mã băm.",
        (
            "source_id",
            "title",
            "publisher",
            "published",
            "place",
            "url",
            "language",
            "archive_file",
            "archive_sha256",
            "event_id",
            "note_vi",
            "note_en",
        ),
        ("source_id",),
        (("event_id", "events", "event_id"),),
        optional_fields=("event_id",),
    ),
    Resource(
        "events",
        "Sessions and conferences",
        "Phiên họp và hội nghị",
        "Sessions of the National Committee on Digital Transformation and conferences reported by the sources.",
        "Các phiên họp của Ủy ban Quốc gia về CĐS và hội nghị được các nguồn đưa tin.",
        ("event_id", "date", "kind", "session_number", "title_vi", "title_en", "chair", "source_id", "line"),
        ("event_id",),
        (("source_id", "sources", "source_id"),),
        renames={"kind": "event_kind"},
    ),
)
RESOURCES_BY_NAME = {r.name: r for r in RESOURCES}

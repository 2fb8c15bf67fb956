"""Stage 4: charts. A chart is first a plain-data spec; the spec is drawn with matplotlib.

Specs are JSON-serialisable, so a chart is cached under the hash of its spec
(data and labels) and drawn in a pool of processes, one per core. The same
spec always gives the same SVG and PNG bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# The cache key covers the drawing code itself, so a change to this module redraws every chart.
DRAWING_CODE_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
COLORS = ["#1d4e89", "#6b6b6b", "#0f766e", "#7c3aed", "#b45309", "#be123c", "#15803d", "#4338ca"]
TARGET_COLOR = "#c2410c"
GEO_COLORS = {"VN": COLORS[0], "WORLD": COLORS[1]}


def spec_hash(spec: dict) -> str:
    payload = json.dumps(spec, ensure_ascii=False, sort_keys=True) + DRAWING_CODE_HASH
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def render_charts(jobs: dict[Path, dict], cache: Path, workers: int | None = None) -> dict[str, int]:
    """Write <path>.svg and <path>.png for every {path stem: spec}; reuse cached drawings."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = {}
    for spec in jobs.values():
        key = spec_hash(spec)
        if not (cache / f"{key}.svg").exists() or not (cache / f"{key}.png").exists():
            missing[key] = spec
    workers = workers or os.cpu_count() or 1
    if len(missing) > 8 and workers > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=_quiet_matplotlib) as pool:
            drawn = pool.map(draw_chart, missing.values(), chunksize=max(1, len(missing) // (workers * 4)))
            for key, (svg, png) in zip(missing, drawn):
                _store(cache, key, svg, png)
    else:
        for key, spec in missing.items():
            _store(cache, key, *draw_chart(spec))
    for stem, spec in jobs.items():
        key = spec_hash(spec)
        stem.parent.mkdir(parents=True, exist_ok=True)
        for ext in ("svg", "png"):
            _link_or_copy(cache / f"{key}.{ext}", stem.with_suffix(f".{ext}"))
    return {"charts": len(jobs), "drawn": len(missing)}


def _store(cache: Path, key: str, svg: bytes, png: bytes) -> None:
    for ext, content in (("svg", svg), ("png", png)):
        tmp = cache / f".{key}.{ext}.tmp"
        tmp.write_bytes(content)
        os.replace(tmp, cache / f"{key}.{ext}")


def _link_or_copy(source: Path, target: Path) -> None:
    if target.exists() and target.read_bytes() == source.read_bytes():
        return
    target.write_bytes(source.read_bytes())


def _quiet_matplotlib() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")


# --------------------------------------------------------------------- drawing


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "vn-dx-open-data",
            "svg.fonttype": "none",  # text stays text: small files, selectable, any Vietnamese font
            "font.family": "DejaVu Sans",
            "font.size": 14,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "axes.titlesize": 16,
            "axes.titlelocation": "left",
            "figure.dpi": 100,
        }
    )
    return plt


def draw_chart(spec: dict) -> tuple[bytes, bytes]:
    plt = _pyplot()
    drawer = {
        "series": _draw_series,
        "bars": _draw_bars,
        "card": _draw_card,
        "progress": _draw_progress,
        "stacked": _draw_stacked,
        "grouped": _draw_grouped,
    }[spec["kind"]]
    fig = drawer(plt, spec)
    svg, png = io.BytesIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    fig.savefig(png, format="png", dpi=150, metadata={"Software": None})
    plt.close(fig)
    return svg.getvalue(), png.getvalue()


def _figure(plt, spec: dict, size=(6.4, 4.4)):  # about 640 px wide: readable when scaled to a phone
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    ax.set_title(spec["title"], wrap=True)
    if spec.get("ylabel"):
        ax.set_ylabel(spec["ylabel"])
    if spec.get("footer"):
        fig.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))  # room for the source line below the axes
        fig.text(0.01, 0.01, spec["footer"], fontsize=10, color="#444444", ha="left", va="bottom")
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    return fig, ax


def _draw_series(plt, spec):
    fig, ax = _figure(plt, spec)
    categories = spec["categories"]  # localised period labels in time order
    for index, series in enumerate(spec["series"]):
        xs = [categories.index(label) for label, _ in series["points"]]
        ys = [value for _, value in series["points"]]
        color = series.get("color") or COLORS[index % len(COLORS)]
        if series["role"] == "target":
            ax.plot(
                xs,
                ys,
                linestyle="none",
                marker="D",
                markersize=9,
                markerfacecolor="white",
                markeredgecolor=TARGET_COLOR,
                markeredgewidth=2,
                label=series["label"],
            )
            for y in ys:
                ax.axhline(y, color=TARGET_COLOR, linewidth=1, linestyle="--", alpha=0.6)
        else:
            ax.plot(xs, ys, marker="o", linewidth=2.2, markersize=7, color=color, label=series["label"])
        for x, y, text in zip(xs, ys, series["value_labels"]):
            ax.annotate(
                text, (x, y), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=12, color="#222222"
            )
    ax.set_xticks(range(len(categories)), categories)
    ax.set_xlim(-0.5, len(categories) - 0.5)
    if spec.get("invert"):
        ax.invert_yaxis()
    else:
        ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
    ax.margins(y=0.22)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=min(3, len(spec["series"])), frameon=False)
    return fig


def _draw_bars(plt, spec):
    fig, ax = _figure(plt, spec)
    labels = [bar["label"] for bar in spec["bars"]]
    values = [bar["value"] for bar in spec["bars"]]
    colors = [bar.get("color") or COLORS[i % len(COLORS)] for i, bar in enumerate(spec["bars"])]
    ax.bar(range(len(labels)), values, color=colors, width=0.6)
    for i, bar in enumerate(spec["bars"]):
        ax.annotate(
            bar["value_label"], (i, bar["value"]), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=10
        )
    for target in spec.get("targets", []):
        ax.axhline(target["value"], color=TARGET_COLOR, linestyle="--", linewidth=1.6, label=target["label"])
    ax.set_xticks(range(len(labels)), labels)
    ax.margins(y=0.15)
    if spec.get("targets"):
        ax.legend(loc="best", frameon=False)
    return fig


def _draw_card(plt, spec):
    fig = plt.figure(figsize=(6, 3), layout="constrained")
    fig.patch.set_facecolor("#f4f6fb")
    fig.text(0.05, 0.86, spec["title"], fontsize=12, fontweight="bold", va="top", wrap=True)
    fig.text(0.05, 0.52, spec["value_label"], fontsize=30, fontweight="bold", color=COLORS[0], va="center")
    fig.text(0.05, 0.25, spec["subtitle"], fontsize=10, color="#333333", va="center", wrap=True)
    fig.text(0.05, 0.07, spec["footer"], fontsize=10, color="#444444", va="bottom", wrap=True)
    return fig


def _draw_progress(plt, spec):
    """Actual as a share of target, one bar per indicator, a reference line at 100 %."""
    fig, ax = _figure(plt, spec, size=(8, 0.6 * len(spec["bars"]) + 1.8))
    labels = [bar["label"] for bar in spec["bars"]]
    values = [bar["value"] for bar in spec["bars"]]
    colors = [COLORS[0] if v >= 100 else COLORS[4] for v in values]
    ax.barh(range(len(labels)), values, color=colors, height=0.6)
    ax.axvline(100, color=TARGET_COLOR, linestyle="--", linewidth=1.6, label=spec["reference_label"])
    for i, bar in enumerate(spec["bars"]):
        ax.annotate(
            bar["value_label"], (bar["value"], i), textcoords="offset points", xytext=(4, 0), va="center", fontsize=9
        )
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max(values + [100]) * 1.6)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False)
    return fig


def _draw_stacked(plt, spec):
    fig, ax = _figure(plt, spec, size=(8, 0.9 * len(spec["bars"]) + 1.8))
    labels = [bar["label"] for bar in spec["bars"]]
    for part_index, part_label in enumerate(spec["parts"]):
        lefts = [sum(bar["values"][:part_index]) for bar in spec["bars"]]
        widths = [bar["values"][part_index] for bar in spec["bars"]]
        ax.barh(
            range(len(labels)),
            widths,
            left=lefts,
            height=0.55,
            label=part_label,
            color=COLORS[[0, 4, 2, 3][part_index % 4]],
        )
        for i, (left, width) in enumerate(zip(lefts, widths)):
            if width:
                ax.annotate(
                    spec["bars"][i]["value_labels"][part_index],
                    (left + width / 2, i),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=10,
                    fontweight="bold",
                )
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=len(spec["parts"]), frameon=False)
    return fig


def _draw_grouped(plt, spec):
    fig, ax = _figure(plt, spec)
    groups, members = spec["groups"], spec["members"]
    width = 0.8 / len(members)
    for m, member in enumerate(members):
        xs = [g + (m - (len(members) - 1) / 2) * width for g in range(len(groups))]
        ax.bar(
            xs,
            member["values"],
            width=width * 0.92,
            label=member["label"],
            color=member.get("color") or COLORS[m % len(COLORS)],
        )
        for x, value, text in zip(xs, member["values"], member["value_labels"]):
            ax.annotate(text, (x, value), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=12)
    ax.set_xticks(range(len(groups)), groups)
    ax.margins(y=0.15)
    ax.legend(loc="best", frameon=False)
    return fig

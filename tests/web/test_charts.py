"""Server-drawn SVG charts: well-formed, accessible, escaped, the same numbers as their table."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from cluster.ui.charts import PALETTE, Series, bar_chart, format_value, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))


def svg_of(figure: ET.Element) -> ET.Element:
    return figure.find(f"{SVG}svg")


def table_rows(figure: ET.Element) -> list[list[str]]:
    table = figure.find("details/div/table")
    return [["".join(cell.itertext()) for cell in row] for row in table.iter("tr")]


def classed(svg: ET.Element, css_class: str) -> list[ET.Element]:
    return [el for el in svg.iter() if css_class in (el.get("class") or "").split()]


def all_attributes(root: ET.Element) -> list[str]:
    return [name.split("}")[-1] for el in root.iter() for name in el.attrib]


def agreement_bars(**overrides) -> Markup:
    options = dict(
        id="agreement",
        title="Proposals that matched the outcome",
        categories=["Autumn 2025", "Spring 2026", "Summer 2026"],
        series=[Series("Match rate", [40, 55.5, 80]), Series("Mean agreement", [60, None, 75])],
        unit="%",
        max_value=100,
    )
    options.update(overrides)
    return bar_chart(**options)


def test_a_bar_chart_is_a_figure_with_a_named_svg_and_a_table():
    figure = parse(agreement_bars(description="Share of cases per term."))
    assert figure.tag == "figure" and "cluster-chart" in figure.get("class").split()
    assert figure.find("figcaption").text == "Proposals that matched the outcome"
    svg = svg_of(figure)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "agreement-title agreement-desc"
    assert svg.find(f"{SVG}title").get("id") == "agreement-title"
    assert svg.find(f"{SVG}title").text == "Proposals that matched the outcome"
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == "agreement-desc" and desc.text.startswith("Share of cases per term.")
    details = figure.find("details")
    assert details.get("class") == "govuk-details"
    assert "".join(details.find("summary").itertext()).strip() == "Show the data as a table"
    assert figure.find("details/div/table").get("class") == "govuk-table"


def test_the_table_holds_exactly_the_values_passed():
    rows = table_rows(parse(agreement_bars()))
    assert rows == [
        ["Category", "Match rate", "Mean agreement"],
        ["Autumn 2025", "40%", "60%"],
        ["Spring 2026", "55.5%", "No data"],
        ["Summer 2026", "80%", "75%"],
    ]


def test_the_table_formats_units_and_decimals():
    chart = line_chart(
        id="alpha",
        title="Alpha",
        categories=["a", "b", "c", "d"],
        series=[Series("Krippendorff's alpha", [0.815, -0.25, 1, 1234.5])],
        unit="cases",
        category_label="Term",
    )
    assert table_rows(parse(chart)) == [
        ["Term", "Krippendorff's alpha"],
        ["a", "0.815 cases"],
        ["b", "-0.25 cases"],
        ["c", "1 cases"],
        ["d", "1,234.5 cases"],
    ]
    assert format_value(2 / 3) == "0.667" and format_value(None) == "No data" and format_value(-0.0) == "0"


def test_bar_heights_are_proportional_to_the_values():
    figure = parse(
        bar_chart(
            id="b", title="Cases", categories=["A", "B", "C", "D"], series=[Series("Cases", [3, 6, 0, 12])]
        )
    )
    bars = classed(svg_of(figure), "cluster-chart__bar")
    heights = [float(b.get("height")) for b in bars]
    assert len(heights) == 4
    assert heights[2] == 0
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.02)
    assert heights[3] == pytest.approx(4 * heights[0], abs=0.02)
    # All bars stand on the same baseline; left to right in category order.
    bottoms = {round(float(b.get("y")) + float(b.get("height")), 1) for b in bars}
    assert len(bottoms) == 1
    xs = [float(b.get("x")) for b in bars]
    assert xs == sorted(xs)


def test_max_value_sets_the_top_of_the_scale():
    figure = parse(agreement_bars(series=[Series("Match rate", [50, 100, 25])]))
    heights = [float(b.get("height")) for b in classed(svg_of(figure), "cluster-chart__bar")]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.02) == pytest.approx(4 * heights[2], abs=0.04)
    ticks = [t.text for t in svg_of(figure).iter(f"{SVG}text") if t.text and t.text.endswith("%")]
    assert ticks[0] == "0%" and ticks[-1] == "100%"


def test_stacked_bars_stack_each_category():
    figure = parse(
        bar_chart(
            id="s",
            title="Outcomes",
            categories=["Autumn", "Spring"],
            series=[Series("Band 1", [2, 4]), Series("Band 2", [2, None]), Series("Band 3", [4, 0])],
            stacked=True,
        )
    )
    bars = classed(svg_of(figure), "cluster-chart__bar")
    autumn = [b for b in bars if float(b.get("x")) < 300]
    spring = [b for b in bars if float(b.get("x")) >= 300]
    assert len(autumn) == 3 and len(spring) == 1  # None and 0 draw nothing
    total = sum(float(b.get("height")) for b in autumn)
    assert float(spring[0].get("height")) == pytest.approx(total / 2, abs=0.05)
    # Segments touch: each starts where the one below it ends.
    tops = sorted((float(b.get("y")), float(b.get("y")) + float(b.get("height"))) for b in autumn)
    assert all(abs(a[1] - b[0]) < 0.02 for a, b in itertools.pairwise(tops))


def test_series_differ_by_more_than_colour():
    figure = parse(
        line_chart(
            id="l",
            title="Agreement",
            categories=["T1", "T2", "T3"],
            series=[Series(name, [0.2, 0.5, 0.6]) for name in ("Alpha", "Kappa", "Match", "Mean")],
        )
    )
    svg = svg_of(figure)
    lines = classed(svg, "cluster-chart__line")
    assert len({line.get("stroke-dasharray") for line in lines}) == 4
    markers = [
        [el for el in classed(svg, "cluster-chart__point") if f"cluster-chart__series-{i}" in el.get("class")]
        for i in range(4)
    ]
    shapes = {(m[0].tag, len((m[0].get("points") or "").split())) for m in markers}
    assert len(shapes) == 4  # circle, square, triangle, diamond
    bars = parse(agreement_bars())
    fills = {b.get("fill") for b in classed(svg_of(bars), "cluster-chart__bar")}
    assert fills == {PALETTE[0], "url(#agreement-fill-1)"}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", PALETTE)
def test_every_colour_has_3_to_1_contrast_against_white(colour):
    assert 1.05 / (_luminance(colour) + 0.05) >= 3


def test_a_line_chart_leaves_a_gap_for_missing_values():
    figure = parse(
        line_chart(
            id="gap",
            title="Alpha by term",
            categories=["T1", "T2", "T3", "T4", "T5"],
            series=[Series("Alpha", [0.5, 0.6, None, 0.7, 0.8])],
            min_value=0,
            max_value=1,
        )
    )
    svg = svg_of(figure)
    paths = classed(svg, "cluster-chart__line")
    assert len(paths) == 2
    assert all(p.get("d").count("L") == 1 for p in paths)
    points = classed(svg, "cluster-chart__point")
    assert len(points) == 4
    ys = [float(p.get("cy")) for p in points]
    # Higher values are drawn higher (smaller y), proportionally from the bottom of the scale.
    assert ys == sorted(ys, reverse=True)
    bottom = ys[0] + (ys[0] - ys[1]) * 5  # 0.5 -> 0.6 is a tenth of the scale
    assert (bottom - ys[3]) == pytest.approx((bottom - ys[0]) * 0.8 / 0.5, abs=0.05)


HOSTILE = '<script>alert("x")</script>&amp;\'"'


def test_hostile_names_are_escaped_everywhere():
    for chart in (bar_chart, line_chart):
        markup = chart(
            id="h",
            title=HOSTILE,
            categories=[HOSTILE, "b"],
            series=[Series(HOSTILE, [1, 2])],
            unit=HOSTILE,
            description=HOSTILE,
        )
        assert "<script>" not in str(markup)
        figure = parse(markup)  # well-formed despite the names
        assert figure.find("figcaption").text == HOSTILE
        assert svg_of(figure).find(f"{SVG}title").text == HOSTILE
        rows = table_rows(figure)
        assert rows[0][1] == HOSTILE and rows[1][0] == HOSTILE


@pytest.mark.parametrize("bad_id", ["", "1chart", 'x" onload="alert(1)', "a b", None])
def test_chart_ids_must_be_safe(bad_id):
    with pytest.raises(ValueError):
        bar_chart(id=bad_id, title="t", categories=["a"], series=[Series("s", [1])])


def test_values_that_are_not_finite_numbers_are_no_data():
    figure = parse(
        bar_chart(
            id="n",
            title="t",
            categories=["a", "b", "c"],
            series=[Series("s", [float("nan"), float("inf"), 2])],
        )
    )
    assert [row[1] for row in table_rows(figure)[1:]] == ["No data", "No data", "2"]
    assert len(classed(svg_of(figure), "cluster-chart__bar")) == 1


def test_series_must_have_a_value_per_category():
    with pytest.raises(ValueError):
        line_chart(id="x", title="t", categories=["a", "b"], series=[Series("s", [1])])


@pytest.mark.parametrize(
    "categories, series",
    [
        ([], []),
        (["Autumn"], []),
        ([], [Series("s", [])]),
        (["Autumn", "Spring"], [Series("Alpha", [None, None])]),
    ],
)
def test_empty_data_renders_a_sentence_not_an_empty_chart(categories, series):
    for chart in (bar_chart, line_chart):
        figure = parse(chart(id="empty", title="Agreement", categories=categories, series=series))
        assert svg_of(figure) is None and figure.find("details") is None
        assert figure.find("figcaption").text == "Agreement"
        assert figure.find("p").text == "No data yet."


def test_no_style_attributes_and_unique_ids_across_charts_on_one_page():
    page = (
        "<div>"
        + str(agreement_bars(id="one"))
        + str(agreement_bars(id="two"))
        + str(
            line_chart(
                id="three",
                title="t",
                categories=["a", "b"],
                series=[Series(f"s{i}", [i, i + 1]) for i in range(8)],
            )
        )
        + "</div>"
    )
    root = ET.fromstring(page)
    assert "style" not in all_attributes(root)
    assert "<style" not in page
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    # Every reference points at an id of its own chart.
    for figure in root.findall("figure"):
        own = {el.get("id") for el in figure.iter() if el.get("id")}
        refs = set(re.findall(r"url\(#([^)]+)\)", ET.tostring(figure, encoding="unicode")))
        labelled = svg_of(figure).get("aria-labelledby").split()
        assert refs | set(labelled) <= own


def test_long_category_labels_are_shortened_in_the_svg_but_whole_in_the_table():
    label = "A very long name for a period of moderation meetings"
    figure = parse(
        bar_chart(
            id="long", title="t", categories=[label, "b", "c", "d", "e", "f"], series=[Series("s", [1] * 6)]
        )
    )
    texts = [t.text for t in svg_of(figure).iter(f"{SVG}text")]
    assert label not in texts and any(t and t.endswith("…") for t in texts)
    assert table_rows(figure)[1][0] == label


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text(max_size=30), min_size=1, max_size=12).flatmap(
        lambda cats: st.tuples(
            st.just(cats),
            st.lists(
                st.tuples(
                    st.text(max_size=20),
                    st.lists(
                        st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
                        min_size=len(cats),
                        max_size=len(cats),
                    ),
                ),
                min_size=1,
                max_size=5,
            ),
        )
    ),
    st.booleans(),
)
def test_any_data_gives_a_well_formed_figure_whose_table_matches(data, stacked):
    categories, raw = data
    # XML 1.0 cannot hold most control characters (and reads CR as LF); forms never send them.
    clean = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")
    categories = [clean.sub("", c) for c in categories]
    series = [Series(clean.sub("", name), values) for name, values in raw]
    for markup in (
        bar_chart(id="p", title="P", categories=categories, series=series, stacked=stacked),
        line_chart(id="p", title="P", categories=categories, series=series),
    ):
        figure = parse(markup)
        if all(v is None for s in series for v in s.values):
            assert figure.find("p").text == "No data yet."
            continue
        rows = table_rows(figure)
        assert [r[0] for r in rows[1:]] == categories
        for column, s in enumerate(series, start=1):
            assert [r[column] for r in rows[1:]] == [format_value(v) for v in s.values]
        assert "style" not in all_attributes(figure)
        for el in list(svg_of(figure).iter())[1:]:  # the <svg> itself is 100% wide
            for name in ("x", "y", "width", "height", "cx", "cy"):
                if el.get(name) is not None:
                    assert float(el.get(name)) == float(el.get(name))  # a number, never nan
                    if name in ("width", "height"):
                        assert float(el.get(name)) >= 0

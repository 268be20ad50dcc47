"""ockit.charts: tables that show every cell whole and escaped, and the learner's results by axis."""

import ockit
from ockit.charts import Table, crosswalk_table, results_by_axis, results_table
from ockit.submission import SubmittedAnswer

COURSE = ockit.load()
LONG = "Une explication assez longue pour dépasser les cinquante caractères que pandas garde " * 2


def test_table_shows_long_text_whole_in_html_and_plain_text():
    table = Table([{"Cas": "<script>alert(1)</script>", "Pourquoi": LONG}], ["Cas", "Pourquoi"])
    page = table._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert LONG.strip() in page
    assert " ".join(repr(table).split()).count("cinquante") == 2


def test_empty_table_says_so():
    assert "Aucune" in repr(results_table([], COURSE))


def test_results_table_names_axes_and_approaches_as_the_workshop_does():
    case = COURSE.case("info-alimentaire")
    answer = SubmittedAnswer(case=case.id, axes=("RESP",), approach="SOCIOINST", attempts=2)
    table = results_table([answer], COURSE)
    (row,) = [dict(zip(table.columns, r)) for r in table.rows]
    assert row["Vos axes"] == COURSE.axes["RESP"].short
    assert row["Votre approche"] == COURSE.approaches["SOCIOINST"].label
    assert row["Axes du corrigé"] == " + ".join(COURSE.axes[c].short for c in case.axes)
    page = table._repr_html_()
    assert "RESP" not in page and "SOCIOINST" not in page


def test_results_table_holds_back_the_key_the_workshop_has_not_shown_yet():
    """After one wrong try the workshop gives no reasons, so the table must not give the key either;
    from the second try (reasons shown), or once found, it does."""
    case = COURSE.case("info-alimentaire")
    wrong_axes = tuple(c for c in ("DEV", "RESP") if c not in case.axes)
    wrong_approach = next(c for c in COURSE.approaches if c != case.approach.dominant)

    def row(**kw):
        table = results_table([SubmittedAnswer(case=case.id, **kw)], COURSE)
        (only,) = [dict(zip(table.columns, r)) for r in table.rows]
        return only

    key_axes = " + ".join(COURSE.axes[c].short for c in case.axes)
    key_approach = COURSE.approaches[case.approach.dominant].label
    first = row(axes=wrong_axes, approach=wrong_approach, attempts=1)
    assert first["Axes du corrigé"] == first["Approche du corrigé"] == "— (à trouver)"
    second = row(axes=wrong_axes, approach=wrong_approach, attempts=2)
    assert (second["Axes du corrigé"], second["Approche du corrigé"]) == (key_axes, key_approach)
    found = row(axes=tuple(case.axes), approach=wrong_approach, attempts=1)
    assert (found["Axes du corrigé"], found["Approche du corrigé"]) == (key_axes, "— (à trouver)")


def test_crosswalk_table_has_one_row_per_mapping_of_each_local_framework():
    expected = sum(len(axis.maps_to) for fw in COURSE.frameworks.values() if not fw.reference
                   for axis in fw.axes)
    table = crosswalk_table(COURSE)
    assert len(table) == expected == len(table.frame)


def test_results_by_axis_counts_hits_misses_and_extras():
    case = COURSE.case("info-alimentaire")  # key ORG + DSS, stated by the source
    answer = SubmittedAnswer(case=case.id, axes=(case.axes[0], "DEV"))
    counts = results_by_axis([answer], COURSE)
    assert counts[case.axes[0]]["hits"] == 1
    assert counts[case.axes[1]]["misses"] == 1
    assert counts["DEV"]["extras"] == 1
    assert sum(sum(c.values()) for c in counts.values()) == 3


def test_figures_carry_a_french_text_alternative_in_their_html():
    """Does each course figure show as an <img> whose alt says what the figure says?"""
    import html as html_module

    from ockit.charts import crosswalk_figure, results_by_axis_figure

    case = COURSE.case("info-alimentaire")
    answer = SubmittedAnswer(case=case.id, axes=(case.axes[0], "DEV"))
    for chart in (crosswalk_figure(COURSE), results_by_axis_figure([answer], COURSE)):
        page = chart._repr_html_()
        assert page.count("<img ") == 1 and f'alt="{html_module.escape(chart.alt, quote=True)}"' in page
        assert repr(chart) == chart.alt and chart.axes  # still usable as a Figure
    alt = results_by_axis_figure([answer], COURSE).alt
    assert f"{COURSE.axes['DEV'].label} : 0 trouvé, 0 oublié, 1 en trop" in alt
    for fw in COURSE.frameworks.values():
        assert fw.title in crosswalk_figure(COURSE).alt


def test_score_explained_states_the_fraction_of_ockit_score_in_french():
    """Does the sentence give the right axes and the union counted by ockit.score, with a decimal comma?"""
    from ockit.charts import score_explained
    from ockit.scoring import score

    case = COURSE.case("info-alimentaire")
    chosen = [case.axes[0], "DEV"]
    result = score(case.id, chosen, course=COURSE)
    union = len(result.correct) + len(result.missed) + len(result.extra)
    text = str(score_explained(case.id, chosen, COURSE))
    assert f"{len(result.correct)} ÷ {union}" in text
    assert f"{result.jaccard:.2f}".replace(".", ",") in text
    assert repr(result.jaccard) not in text and case.title in text
    assert "<" not in score_explained(case.id, chosen, COURSE)._repr_html_().removeprefix("<p>").removesuffix("</p>")


def test_one_mapping_and_a_case_s_acts_show_as_french_text_not_python_lists():
    """Do the lessons' small views say in French what the data says (no list repr)?"""
    from ockit.charts import show_acts, show_mapping
    from ockit.frameworks import to_reference

    text = show_mapping("cemtl", 3, COURSE).data
    for m in to_reference("cemtl", 3, course=COURSE):
        assert f"**{m.axis}**" in text and COURSE.axes[m.axis].label in text
    assert "[" not in text and "('" not in text
    case = COURSE.case("info-alimentaire")
    acts = show_acts(case.id, COURSE).data
    assert all(f"- {COURSE.acts[a].label}" in acts for a in case.acts) and "['" not in acts

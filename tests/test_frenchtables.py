"""ockit.frenchtables: every column of the instructor's tables has a French name for display."""

import ockit
from ockit.classroom import agreement_table, cases_table, grades_table, read_class
from ockit.data import KIT_DATA
from ockit.frenchtables import COLUMNS, GRADE_COLUMNS, en_francais
from ockit.itemstats import item_table

COURSE = ockit.load()
CLASS = read_class(KIT_DATA / "sample_class", COURSE)


def test_every_column_of_every_table_has_a_french_name_and_values_are_kept():
    for table, names in ((cases_table(CLASS, COURSE), COLUMNS), (agreement_table(CLASS), COLUMNS),
                         (item_table(CLASS.answers), COLUMNS), (CLASS.answers, COLUMNS),
                         (grades_table(CLASS), GRADE_COLUMNS)):
        before = list(table.columns)
        shown = en_francais(table)
        missing = [c for c in table.columns if c not in names]
        assert not missing, f"colonnes sans nom français : {missing}"
        assert len(set(shown.columns)) == len(table.columns)
        assert not set(shown.columns) & set(table.columns) - {"kappa", "justification"}
        assert shown.equals(table.set_axis(list(shown.columns), axis=1))  # same values (NaN too)
        assert list(table.columns) == before  # the original is not renamed in place


def test_a_count_and_a_flag_of_the_same_name_get_their_own_french_names():
    """`exact` is a flag in answers.csv and a count in grades.csv: each is named for what it is."""
    assert "réponse exacte" in en_francais(CLASS.answers).columns
    assert "réponses exactes" in en_francais(grades_table(CLASS)).columns

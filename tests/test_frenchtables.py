"""ockit.frenchtables: every column of the instructor's tables has a French name for display."""

import ockit
from ockit.classroom import agreement_table, cases_table, read_class
from ockit.data import KIT_DATA
from ockit.frenchtables import COLUMNS, en_francais
from ockit.itemstats import item_table

COURSE = ockit.load()
CLASS = read_class(KIT_DATA / "sample_class", COURSE)


def test_every_column_of_every_table_has_a_french_name_and_values_are_kept():
    for table in (cases_table(CLASS, COURSE), agreement_table(CLASS), item_table(CLASS.answers), CLASS.answers):
        before = list(table.columns)
        shown = en_francais(table)
        missing = [c for c in table.columns if c not in COLUMNS]
        assert not missing, f"colonnes sans nom français : {missing}"
        assert len(set(shown.columns)) == len(table.columns)
        assert not set(shown.columns) & set(table.columns) - {"kappa", "discrimination", "justification"}
        assert shown.equals(table.set_axis(list(shown.columns), axis=1))  # same values (NaN too)
        assert list(table.columns) == before  # the original is not renamed in place

"""Issue #16: a case's story origin (story), other defensible readings (also_accepted) and
former ids are validated, and shown or resolved the way the learner and the report need."""

import pytest

import ockit
from ockit.data import load, validate

from .helpers import copy_reference, valid_case, write_case

COURSE = ockit.load()


@pytest.fixture
def data(tmp_path):
    return copy_reference(tmp_path / "data")


def problems(data):
    return [p for p in validate(data, extra=())]


SOURCED = {"doc": "004_f92cccda71e61b66", "publisher": "CIUSSS de l'Est-de-l'Île-de-Montréal",
           "year": None, "title": "Coup d'œil"}


class TestStory:
    def test_inferred_case_must_say_where_its_story_comes_from(self, data):
        write_case(data, valid_case(label_provenance="inferred", source=SOURCED))
        [problem] = problems(data)
        assert (problem.case, problem.field) == ("cas-test", "story")
        assert "illustration" in problem.message()

    def test_unknown_story_value(self, data):
        write_case(data, valid_case(label_provenance="inferred", source=SOURCED, story="roman"))
        [problem] = problems(data)
        assert problem.field == "story" and "roman" in problem.found

    def test_constructed_story_is_an_illustration(self, data):
        write_case(data, valid_case(story="source"))
        [problem] = problems(data)
        assert problem.field == "story"

    @pytest.mark.parametrize("case", list(COURSE.cases.values()), ids=lambda c: c.id)
    def test_provenance_note_never_presents_an_invented_story_as_the_source(self, case):
        note = case.provenance_note()
        if case.label_provenance == "constructed":
            assert "inventée" in note and "Source :" not in note
        elif case.story == "illustration":
            assert note.startswith("D'après :") and "illustration" in note
        elif case.story == "mixed":
            assert "illustration" in note
        if case.label_provenance == "inferred":
            assert "déduits par la trousse" in note
        if case.source is not None:
            assert case.source.title in note

    def test_kit_inferred_cases_all_declare_their_story(self):
        inferred = [c for c in COURSE.cases.values() if c.label_provenance == "inferred"]
        assert inferred and all(c.story in ("source", "illustration", "mixed") for c in inferred)
        assert any(c.story == "illustration" for c in inferred)


class TestAlsoAccepted:
    def test_valid_reading_loads(self, data):
        write_case(data, valid_case(also_accepted=[
            {"axes": ["DEV", "ORG"], "why": "Le comité demande aussi de l'aide pour se donner des règlements et une structure."}]))
        case = load(data, extra=()).cases["cas-test"]
        assert case.also_accepted[0].axes == ("DEV", "ORG")

    @pytest.mark.parametrize("reading, field", [
        ({"axes": ["ZZZ"], "why": "Une raison assez longue pour passer la règle des dix mots au moins."}, "also_accepted[1].axes"),
        ({"axes": ["DEV", "ORG"], "why": "trop court"}, "also_accepted[1].why"),
        ({"axes": ["DEV"], "why": "La même lecture que la clé, sans rien changer, ce qui n'apporte rien."}, "also_accepted[1].axes"),
        ({"axes": ["ORG"], "approach": "SOCIOXYZ", "why": "Une approche qui n'existe pas dans la trousse, pour voir le message."}, "also_accepted[1].approach"),
        ("ORG", "also_accepted[1]"),
    ])
    def test_bad_reading_is_named(self, data, reading, field):
        write_case(data, valid_case(also_accepted=[reading]))
        [problem] = problems(data)
        assert (problem.case, problem.field) == ("cas-test", field)
        assert "cas-test.yaml" in problem.message()


class TestFormerIds:
    def test_a_former_id_resolves_to_the_renamed_case(self, data):
        write_case(data, valid_case(former_ids=["cas-ancien-sherbrooke"]))
        course = load(data, extra=())
        assert course.resolve_case_id("cas-ancien-sherbrooke") == "cas-test"
        assert course.case_by_id("cas-ancien-sherbrooke").id == "cas-test"
        assert course.case("cas-ancien-sherbrooke").id == "cas-test"
        assert ockit.score("cas-ancien-sherbrooke", ["DEV"], course=course).case == "cas-test"

    def test_former_id_claimed_twice_is_refused(self, data):
        write_case(data, valid_case(former_ids=["cas-ancien"]))
        write_case(data, valid_case("cas-autre", former_ids=["cas-ancien"]))
        [problem] = problems(data)
        assert problem.field == "former_ids" and "cas-ancien" in problem.found

    def test_former_id_equal_to_a_current_id_is_refused(self, data):
        write_case(data, valid_case(former_ids=["cas-autre"]))
        write_case(data, valid_case("cas-autre"))
        [problem] = problems(data)
        assert problem.field == "former_ids" and problem.found == "cas-autre"

    def test_malformed_former_id(self, data):
        write_case(data, valid_case(former_ids=["Pas Kebab"]))
        [problem] = problems(data)
        assert problem.field == "former_ids"

    def test_no_constructed_case_id_keeps_a_renamed_place(self):
        """The renamed vignettes answer to their old ids, and no current id is an old one."""
        olds = {old for c in COURSE.cases.values() for old in c.former_ids}
        assert {"v-conflit-ca-centre-femmes-sherbrooke", "v-ressourcerie-perte-subvention-rouyn",
                "v-residence-aines-fermeture-shawinigan"} <= olds
        assert not olds & set(COURSE.cases)
        for old in olds:
            assert COURSE.resolve_case_id(old) in COURSE.cases

    def test_unknown_id_still_raises(self):
        with pytest.raises(ockit.model.UnknownCaseError):
            COURSE.resolve_case_id("pas-un-cas")

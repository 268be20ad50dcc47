"""Every kind of DataError names the file, the case, the field, and expected vs found."""

import pytest

from ockit.data import DataError, DataErrors, load, validate

from .helpers import copy_reference, valid_case, write_case


@pytest.fixture
def data(tmp_path):
    return copy_reference(tmp_path / "data")


def only_problem(data):
    problems = validate(data, extra=())
    assert len(problems) == 1, [p.message() for p in problems]
    return problems[0]


class TestValidCase:
    def test_minimal_case_loads(self, data):
        """A minimal valid case loads and keeps its axes in order."""
        write_case(data, valid_case(axes={"DSS": "Le logement est en cause dans ce quartier ancien.",
                                          "DEV": "Le comité de quartier porte la démarche avec ses membres."}))
        course = load(data, extra=())
        assert course.cases["cas-test"].axes == ("DSS", "DEV")


class TestCaseErrors:
    def test_yaml_syntax_error_gives_line(self, data):
        """A YAML syntax error names the file and the line."""
        path = data / "cases" / "cas-casse.yaml"
        path.write_text("id: cas-casse\ntitle: [pas fermé\nsummary: x\n", encoding="utf-8")
        problem = only_problem(data)
        assert problem.file.endswith("cas-casse.yaml")
        assert problem.line is not None and problem.line >= 2
        assert "syntaxe YAML" in problem.message()

    def test_yaml_error_is_explained_in_french(self, data):
        """PyYAML's English text stays out; a French hint names the usual cause."""
        path = data / "cases" / "cas-casse.yaml"
        path.write_text("id: cas-casse\ntitle: Un titre: avec deux-points\n", encoding="utf-8")
        message = only_problem(data).message()
        assert "mapping values" not in message and "not allowed" not in message
        assert "deux-points" in message and "ligne 2" in message

    def test_found_values_are_shown_as_written_not_as_python(self, data):
        """An empty field reads « rien », not None."""
        write_case(data, valid_case(acts=None))
        message = only_problem(data).message()
        assert "None" not in message and "rien" in message

    def test_unknown_axis_code_names_code_and_valid_codes(self, data):
        """An unknown axis code is reported with the valid codes."""
        write_case(data, valid_case(axes={"ZQX": "Un axe qui n'existe pas dans le cadre de référence."}))
        problem = only_problem(data)
        assert (problem.case, problem.field, problem.found) == ("cas-test", "axes", "ZQX")
        assert "DEV, DSS, ORG, RESP" in problem.message()
        assert "cas-test.yaml" in problem.message()

    def test_unknown_approach_code(self, data):
        """An unknown dominant approach is reported on approach.dominant."""
        write_case(data, valid_case(approach={"dominant": "SOCIOZZZ"}))
        problem = only_problem(data)
        assert (problem.field, problem.found) == ("approach.dominant", "SOCIOZZZ")

    def test_axis_without_rationale(self, data):
        """A listed axis with an empty rationale is an error on that axis."""
        write_case(data, valid_case(axes={"DEV": "Le comité agit dans son quartier.", "ORG": ""}))
        problem = only_problem(data)
        assert problem.field == "axes.ORG"
        assert "justification" in problem.message()

    def test_id_differs_from_file_name(self, data):
        """An id that differs from the file name is reported with both."""
        write_case(data, valid_case("cas-a"), name="cas-b")
        problem = only_problem(data)
        assert (problem.field, problem.expected, problem.found) == ("id", "cas-b", "cas-a")

    def test_duplicate_id_across_folders(self, data, tmp_path):
        """The same id in the kit and in an extra folder is a duplicate."""
        write_case(data, valid_case("cas-double"))
        extra = tmp_path / "extra"
        (extra / "cases").mkdir(parents=True)
        write_case(extra, valid_case("cas-double"))
        problems = validate(data, extra=[extra])
        assert len(problems) == 1
        assert problems[0].field == "id" and "double" in problems[0].message()
        assert problems[0].file.endswith("extra/cases/cas-double.yaml")

    def test_unknown_act(self, data):
        """An act that actes.yaml does not define is reported."""
        write_case(data, valid_case(acts=["accompagner", "danser"]))
        problem = only_problem(data)
        assert (problem.field, problem.found) == ("acts", "danser")

    def test_real_case_without_source(self, data):
        """A case that is not constructed must cite its source."""
        write_case(data, valid_case(label_provenance="inferred", story="illustration", source=None))
        problem = only_problem(data)
        assert problem.field == "source"

    def test_constructed_case_with_source(self, data):
        """An invented vignette must not pretend to cite a source."""
        write_case(data, valid_case(source={"doc": "000_7a0da44498516742"}))
        assert only_problem(data).field == "source"

    def test_unknown_source_document(self, data):
        """A source doc key that sources.yaml lacks is reported."""
        write_case(data, valid_case(label_provenance="inferred", story="illustration", source={"doc": "999_nope"}))
        problem = only_problem(data)
        assert (problem.field, problem.found) == ("source.doc", "999_nope")

    def test_hard_case_needs_hesitation(self, data):
        """Difficulty 3 requires a hesitation paragraph."""
        write_case(data, valid_case(difficulty=3))
        assert only_problem(data).field == "hesitation"


class TestCollecting:
    def test_every_problem_is_reported_not_just_the_first(self, data):
        """Two broken files give two problems, and load raises them all."""
        write_case(data, valid_case("cas-un", acts=["danser"]))
        write_case(data, valid_case("cas-deux", difficulty=7))
        problems = validate(data, extra=())
        assert {p.case for p in problems} == {"cas-un", "cas-deux"}
        with pytest.raises(DataErrors) as info:
            load(data, extra=())
        assert len(info.value.problems) == 2
        assert isinstance(info.value, DataError) and isinstance(info.value, ValueError)

    def test_missing_reference_file(self, data):
        """A missing reference file is named."""
        (data / "actes.yaml").unlink()
        problems = validate(data, extra=())
        assert any(p.file.endswith("actes.yaml") for p in problems)

"""An instructor's own folder (--extra DIR or OCKIT_EXTRA_DATA) adds cases and a framework."""

import json

import pytest
import yaml

from ockit.cli import main
from ockit.data import KIT_DATA, load

from .helpers import valid_case, write_case

LOCAL_FRAMEWORK = [{
    "id": "cisss-essai",
    "title": "CISSS d'essai",
    "source": None,
    "reference": False,
    "axes": [{"number": 1, "label": "Vie de quartier",
              "maps_to": [{"axis": "DEV", "match": "full",
                           "why": "Le travail avec les tables de quartier y est central."}]}],
}]


@pytest.fixture
def extra(tmp_path):
    folder = tmp_path / "locaux"
    (folder / "cases").mkdir(parents=True)
    write_case(folder, valid_case("cas-local-essai", title="Cas local d'essai"))
    return folder


def kit_case_ids():
    return {p.stem for p in (KIT_DATA / "cases").glob("*.yaml")}


def cases_json(capsys, argv):
    assert main(argv) == 0
    return {c["id"] for c in json.loads(capsys.readouterr().out)}


def test_extra_cases_join_the_kits_cases(extra, capsys):
    """--extra DIR: the local case is listed along with every kit case."""
    ids = cases_json(capsys, ["cases", "--json", "--extra", str(extra)])
    assert ids == kit_case_ids() | {"cas-local-essai"}


def test_environment_variable_works_like_the_option(extra, capsys, monkeypatch):
    """OCKIT_EXTRA_DATA=DIR gives the same cases as --extra DIR."""
    monkeypatch.setenv("OCKIT_EXTRA_DATA", str(extra))
    assert "cas-local-essai" in cases_json(capsys, ["cases", "--json"])


def test_local_framework_numbering_is_added_to_the_crosswalk(extra, capsys):
    """DIR/frameworks.yaml adds a framework that `ockit crosswalk` shows."""
    (extra / "frameworks.yaml").write_text(yaml.safe_dump(LOCAL_FRAMEWORK, allow_unicode=True),
                                           encoding="utf-8")
    course = load(extra=[extra])
    assert course.frameworks["cisss-essai"].axes[0].maps_to[0].axis == "DEV"
    assert main(["crosswalk", "--extra", str(extra)]) == 0
    assert "CISSS d'essai" in capsys.readouterr().out


def test_a_bad_extra_case_makes_validate_exit_1_naming_the_file(extra, capsys):
    """Validation applies to local cases: a bad one fails `ockit validate --extra DIR`."""
    write_case(extra, valid_case("cas-local-casse", axes={"XYZ": "Un code d'axe qui n'existe pas du tout."}))
    assert main(["validate", "--extra", str(extra)]) == 1
    err = capsys.readouterr().err
    assert "cas-local-casse.yaml" in err and "XYZ" in err


def test_a_local_case_cannot_reuse_a_kit_case_id(extra, capsys):
    """A local case with the id of a kit case is refused, naming both files."""
    taken = sorted(kit_case_ids())[0]
    write_case(extra, valid_case(taken))
    assert main(["validate", "--extra", str(extra)]) == 1
    err = capsys.readouterr().err
    assert f"{taken}.yaml" in err and "double" in err


def test_a_missing_extra_folder_is_reported(tmp_path, capsys):
    """--extra pointing nowhere: exit 1 and the folder is named."""
    assert main(["validate", "--extra", str(tmp_path / "nulle-part")]) == 1
    assert "nulle-part" in capsys.readouterr().err

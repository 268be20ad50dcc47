"""`ockit new-case ID`: a commented French template for a local case, written safely."""

import re

import pytest
import yaml

from ockit.cli import main
from ockit.data import validate
from ockit.templates import CaseTemplateError, case_template, write_case_template

from .helpers import REPO


def documented_case_fields():
    """The top-level keys of the case example in data/README.md (the format's documentation)."""
    text = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    block = text.split("## Un cas", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    return re.findall(r"^([a-z_]+):", block, flags=re.M)


def test_template_explains_every_documented_field():
    """Each field of the documented case format appears in the template with a comment."""
    text = case_template("cas-essai")
    fields = documented_case_fields()
    assert len(fields) >= 10
    for field in fields:
        assert re.search(rf"^#? ?{field}:", text, flags=re.M), field
    assert text.count("\n#") >= len(fields)


def test_template_is_constructed_by_default_and_loads_as_yaml():
    """The template parses, keeps its id, and is a constructed vignette without a source."""
    data = yaml.safe_load(case_template("cas-essai"))
    assert data["id"] == "cas-essai"
    assert data["label_provenance"] == "constructed" and data["source"] is None


def test_writes_into_the_folder_and_refuses_to_overwrite(tmp_path, capsys):
    """A second new-case with the same id leaves the file untouched and exits 1."""
    assert main(["new-case", "cuisine-collective", "--folder", str(tmp_path)]) == 0
    path = tmp_path / "cuisine-collective.yaml"
    path.write_text("id: cuisine-collective  # mes modifications\n", encoding="utf-8")
    assert main(["new-case", "cuisine-collective", "--folder", str(tmp_path)]) == 1
    assert "existe déjà" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "id: cuisine-collective  # mes modifications\n"


@pytest.mark.parametrize("bad", ["Cuisine", "cuisine_collective", "cuisine--x", "x-", "café", "a b"])
def test_refuses_an_id_that_is_not_kebab_case(tmp_path, bad, capsys):
    """Upper case, underscores, accents, spaces or stray hyphens: refused, nothing written."""
    assert main(["new-case", bad, "--folder", str(tmp_path)]) == 1
    assert "kebab-case" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_default_folder_is_the_first_extra_folder_then_cas_locaux(tmp_path, monkeypatch):
    """Without --folder: DIR/cases for the first --extra DIR, else ./cas-locaux/cases."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OCKIT_EXTRA_DATA", raising=False)
    assert main(["new-case", "cas-un", "--extra", "mes-cas", "--extra", "autres"]) == 0
    assert (tmp_path / "mes-cas" / "cases" / "cas-un.yaml").is_file()
    assert main(["new-case", "cas-deux"]) == 0
    assert (tmp_path / "cas-locaux" / "cases" / "cas-deux.yaml").is_file()


def test_unfilled_template_fails_validation_naming_the_fields_then_passes_once_filled(tmp_path):
    """Empty required fields are reported on this file; filled in, the case validates."""
    path = write_case_template("cas-a-remplir", tmp_path / "locaux" / "cases")
    problems = validate(extra=[tmp_path / "locaux"])
    assert problems and all(p.file.endswith("cas-a-remplir.yaml") for p in problems)
    assert {"title", "summary", "axes", "acts"} <= {p.field for p in problems}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(title="Cuisine collective du quartier",
                summary="Une OC aide un groupe de résidantes à lancer une cuisine collective.",
                axes={"DSS": "L'accès à une alimentation saine et abordable est la condition de vie visée ici."},
                acts=["accompagner"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert validate(extra=[tmp_path / "locaux"]) == []


def test_write_case_template_raises_in_french(tmp_path):
    """The library raises CaseTemplateError (a ValueError) for a bad id."""
    with pytest.raises(CaseTemplateError, match="kebab-case"):
        write_case_template("Pas_Bon", tmp_path)
    assert issubclass(CaseTemplateError, ValueError)


def test_refuses_an_id_the_kit_already_uses_even_next_to_an_unfinished_case(tmp_path, capsys):
    """A kit case's id is refused; a half-filled local case does not block a new template."""
    extra = tmp_path / "locaux"
    assert main(["new-case", "brouillon", "--extra", str(extra)]) == 0  # left unfilled on purpose
    assert main(["new-case", "info-alimentaire", "--extra", str(extra)]) == 1
    assert "déjà pris" in capsys.readouterr().err
    assert not (extra / "cases" / "info-alimentaire.yaml").exists()
    assert main(["new-case", "deuxieme-cas", "--extra", str(extra)]) == 0

"""ockit.text and ockit.suggester: French normalization, cue matching, evidence from the text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ockit
from ockit.model import APPROACH_CODES, AXIS_CODES
from ockit.suggester import CueError, Lexicon, Suggester, case_text, load_lexicon, suggest
from ockit.text import normalize, normalize_word, tokens

COURSE = ockit.load()


class TestNormalization:
    @pytest.mark.parametrize("a, b", [
        ("Règlements généraux", "reglement general"),
        ("citoyen·nes", "citoyens"),
        ("citoyennes", "citoyen"),
        ("organisatrices", "organisateur"),
        ("intervenant.es", "intervenants"),
        ("élu·es", "élus"),
        ("sociaux", "sociale"),
        ("collectives", "collectif"),
        ("aîné·es", "aînés"),
        ("ÎLOTS DE CHALEUR", "îlot de chaleur"),
    ])
    def test_accent_case_plural_feminine_and_inclusive_forms_meet(self, a, b):
        """Two spellings of the same term normalize to the same stems."""
        assert normalize(a) == normalize(b)

    @pytest.mark.parametrize("text", ["l'organisme", "l’organisme", "d'organisme", "qu'organisme"])
    def test_elisions_are_split_off(self, text):
        """l', d', qu' (straight or typographic apostrophe) leave only the noun."""
        assert normalize(text) == normalize_word("organisme")

    @given(st.text(max_size=200))
    def test_token_spans_are_pieces_of_the_text(self, text):
        """Every token points at a non-empty span of the original text."""
        for tok in tokens(text):
            assert 0 <= tok.start < tok.end <= len(text)


class TestEvidence:
    @settings(max_examples=30, deadline=None)
    @given(st.sampled_from(sorted(COURSE.cases)))
    def test_every_suggested_axis_has_evidence_found_verbatim_in_the_text(self, case_id):
        """Each suggested axis carries cues, and each cue is a substring of the text."""
        text = case_text(COURSE.cases[case_id])
        result = suggest(text)
        assert result.axes, "a case summary always holds some cue"
        for code in result.axes:
            assert result.evidence.get(code)
        for phrases in result.evidence.values():
            for phrase in phrases:
                assert phrase in text

    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.sampled_from(
        ["l'organisme", "les règlements généraux", "du quartier", "une pétition", "CLSC",
         "une coopérative", "le logement", "la table de quartier", "Entraide", " ", ". ", ", ",
         "des élu·es", "santé publique", "aîné·es", "zzz"]), max_size=15).map("".join))
    def test_evidence_is_verbatim_on_arbitrary_texts(self, text):
        """Even on scrambled text, evidence is taken from the text and axes have evidence."""
        result = suggest(text)
        for code in result.axes:
            assert result.evidence.get(code)
        for phrases in result.evidence.values():
            assert all(p in text for p in phrases)

    def test_text_without_cues_suggests_no_axis(self):
        """No invented evidence: a text with no cue gets no axis."""
        result = suggest("Zzz qwerty.")
        assert result.axes == ()
        assert not any(result.evidence.get(c) for c in AXIS_CODES)

    def test_result_codes_are_valid(self):
        """Scores cover the eight codes; the approach is one of the four."""
        result = suggest("Une table de quartier mobilise les citoyen·nes.")
        assert set(result.scores) == set(AXIS_CODES) | set(APPROACH_CODES)
        assert result.approach in APPROACH_CODES
        assert list(result.axes) == sorted(result.axes, key=lambda c: -result.scores[c])


class TestCues:
    def test_board_and_bylaws_suggest_org_first(self):
        """A text about a board of directors and règlements généraux points to ORG."""
        text = ("Le conseil d'administration d'un organisme communautaire demande l'aide de l'OC "
                "pour réviser ses règlements généraux avant l'assemblée générale.")
        assert suggest(text).axes[0] == "ORG"

    def test_petition_to_elected_officials_suggests_sociopolitical(self):
        """Revendication, pétition and élu·es point to the sociopolitical approach."""
        text = "Les locataires font signer une pétition et portent leurs revendications aux élu·es."
        assert suggest(text).approach == "SOCIOPOL"

    def test_cue_matches_inflected_forms_and_shows_them_as_written(self):
        """The cue « table de quartier » matches « Tables du quartier » and shows that span."""
        text = "Les Tables du quartier se réunissent."
        shown = {text[h.span[0]:h.span[1]] for h in load_lexicon().hits(tokens(text)) if h.code == "DEV"}
        assert "Tables du quartier" in shown

    def test_cue_never_crosses_a_sentence(self):
        """A multi-word cue split by a period does not match."""
        text = "Une table. Le quartier change."
        shown = {text[h.span[0]:h.span[1]] for h in load_lexicon().hits(tokens(text))}
        assert "table. Le quartier" not in shown
        assert "quartier" in shown  # the single-word cue still matches: the check above can fail

    def test_every_cue_code_is_valid_and_every_cue_matches_itself(self):
        """Each cue of data/cues.yaml, written as a text, is found by the lexicon."""
        lexicon = load_lexicon()
        for cue in lexicon.cues:
            assert cue.code in AXIS_CODES + APPROACH_CODES
            found = {h.cue for h in lexicon.hits(tokens(cue.phrase.replace("*", "")))}
            assert cue.phrase in found, cue.phrase

    def test_bad_weight_is_reported_in_french(self, tmp_path):
        """A malformed lexicon names the code and the phrase."""
        path = tmp_path / "cues.yaml"
        path.write_text("axes:\n  DEV:\n    quartier: beaucoup\n", encoding="utf-8")
        with pytest.raises(CueError, match="DEV.*quartier"):
            Lexicon.from_yaml(path)

    def test_unknown_code_in_lexicon_is_reported(self, tmp_path):
        path = tmp_path / "cues.yaml"
        path.write_text("axes:\n  XYZ:\n    quartier: 1\n", encoding="utf-8")
        with pytest.raises(CueError, match="XYZ"):
            Lexicon.from_yaml(path)


class TestPublicApi:
    def test_ockit_suggest_is_the_function(self):
        """`ockit.suggest` is the suggester's function, not a submodule."""
        assert ockit.suggest is suggest

    def test_suggest_json_contract(self):
        data = suggest("Une coopérative d'épicerie solidaire.").to_dict()
        assert set(data) == {"axes", "approach", "approach_basis", "scores", "axis_threshold", "combination", "axes_alone",
                             "evidence", "learned_evidence", "frame_evidence", "hesitant", "hesitations"}

    def test_explanation_names_each_axis_and_its_cues_in_french(self, capsys):
        """`ockit suggest` prints every suggested axis's label and its cues; learned words apart."""
        from ockit.cli import main

        text = case_text(COURSE.cases["marche-sante"])
        result = suggest(text)
        assert main(["suggest", text]) == 0
        out = capsys.readouterr().out
        for code in result.axes:
            assert COURSE.axes[code].label in out
            for phrase in result.evidence[code][:6]:
                assert f"« {phrase} »" in out
        learned_line = " ".join(l for l in out.splitlines() if "mots appris des exemples" in l)
        for phrase in (w for code in result.axes for w in result.learned.get(code, ())[:6]):
            assert f"« {phrase} »" in learned_line

    def test_an_axis_hesitation_gives_the_axis_probability_and_the_threshold(self):
        """A close call on an axis says where the line is, so 49 % « retenu » does not puzzle."""
        from ockit.suggester import _percent

        flagged = 0
        for case in COURSE.cases.values():
            result = suggest(case_text(case))
            lines = result.explain(COURSE).splitlines()
            for h in result.hesitations:
                if h.kind != "approach":
                    (code,) = h.codes
                    (line,) = [l for l in lines if f"sur l'axe {code} " in l]
                    assert _percent(result.scores[code]) in line and _percent(result.threshold) in line
                    flagged += 1
        assert flagged > 0

    def test_learned_words_are_told_apart_from_lexicon_cues(self):
        """`learned` is part of the evidence and holds no cue of the code's own lexicon."""
        lexicon = load_lexicon()
        seen = 0
        for case in COURSE.cases.values():
            text = case_text(case)
            trained = suggest(text)
            own = {}
            for h in lexicon.hits(tokens(text)):
                own.setdefault(h.code, set()).add(text[h.span[0]:h.span[1]])
            for code, words in trained.learned.items():
                seen += len(words)
                assert set(words) <= set(trained.evidence[code])
                assert not set(words) & own.get(code, set())
        assert seen > 0  # the model does learn from cases

    def test_approach_without_cue_says_it_is_a_default(self):
        """An approach that no cue supports is flagged, so it never passes for a reasoned one."""
        plain = suggest("Bonjour tout le monde.")
        assert plain.approach is None or plain.to_dict()["approach_basis"] in ("default", "learned")
        reasoned = suggest("Les membres fondent une coopérative de travail et une entreprise d'économie sociale.")
        assert reasoned.evidence.get(reasoned.approach)
        assert reasoned.to_dict()["approach_basis"] == "cues"

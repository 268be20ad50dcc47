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
        result = Suggester(load_lexicon(), learned=None).suggest("Les Tables du quartier se réunissent.")
        assert "Tables du quartier" in result.evidence["DEV"]

    def test_cue_never_crosses_a_sentence(self):
        """A multi-word cue split by a period does not match."""
        result = Suggester(load_lexicon(), learned=None).suggest("Une table. Le quartier change.")
        assert "table. Le quartier" not in result.evidence.get("DEV", ())

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


class TestLearning:
    def test_only_domain_vocabulary_is_learned(self):
        """Words outside the domain vocabulary (place names, publishers) get no learned weight."""
        from ockit.suggester import domain_vocabulary, learn

        cases = list(COURSE.cases.values())
        learned = {w for table in learn(cases).weights.values() for w in table}
        assert learned and learned <= domain_vocabulary()
        vocabulary = frozenset(sorted(learned)[: len(learned) // 2])
        narrowed = {w for table in learn(cases, vocabulary=vocabulary).weights.values() for w in table}
        assert narrowed and narrowed <= vocabulary

    def test_proper_nouns_of_the_definitions_are_not_vocabulary(self):
        """Only lower-case words of the definitions count: « Sherbrooke » is not a domain word."""
        from ockit.suggester import domain_vocabulary

        vocabulary = domain_vocabulary()
        assert normalize_word("concertation") in vocabulary
        assert normalize_word("sherbrooke") not in vocabulary


class TestPublicApi:
    def test_ockit_suggest_is_the_function(self):
        """`ockit.suggest` is the suggester's function, not a submodule."""
        assert ockit.suggest is suggest

    def test_suggest_json_contract(self):
        data = suggest("Une coopérative d'épicerie solidaire.").to_dict()
        assert set(data) == {"axes", "approach", "approach_basis", "scores", "evidence", "learned_evidence"}

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
        learned_line = " ".join(l for l in out.splitlines() if "mots fréquents" in l)
        for phrase in (w for code in result.axes for w in result.learned.get(code, ())[:6]):
            assert f"« {phrase} »" in learned_line

    def test_learned_words_are_told_apart_from_lexicon_cues(self):
        """`learned` lists only evidence no cue matched; without learning it is empty."""
        lexicon = Suggester(load_lexicon(), learned=None)
        seen = 0
        for case in COURSE.cases.values():
            text = case_text(case)
            trained, lexicon_only = suggest(text), lexicon.suggest(text)
            assert dict(lexicon_only.learned) == {}
            for code, words in trained.learned.items():
                seen += len(words)
                assert set(words) <= set(trained.evidence[code])
                assert not set(words) & set(lexicon_only.evidence.get(code, ()))
        assert seen > 0  # the corpus does teach some words

    def test_approach_without_cue_says_it_is_a_default(self):
        """An approach that no cue supports is flagged, so it never passes for a reasoned one."""
        plain = suggest("Bonjour tout le monde.")
        assert plain.approach is None or plain.to_dict()["approach_basis"] == "default"
        reasoned = suggest("Les membres fondent une coopérative de travail et une entreprise d'économie sociale.")
        assert reasoned.evidence.get(reasoned.approach)
        assert reasoned.to_dict()["approach_basis"] == "cues"

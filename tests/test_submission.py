"""The submission format: what we write reads back; what we read is never trusted."""

import json

import pytest

from ockit.model import AXIS_CODES
from ockit.submission import (FORMAT, SubmissionError, SubmittedAnswer, make_submission,
                              read_submission, write_submission)


def good(**answer):
    return {"format": FORMAT, "learner": "Kim", "kit_version": "0.1.0", "created": "2026-11-23T10:00:00-05:00",
            "answers": [{"case": "info-alimentaire", "axes": ["ORG"], **answer}]}


def write(tmp_path, data, name="remise.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


class TestRoundTrip:
    def test_written_submission_reads_back_equal(self, tmp_path):
        """write_submission then read_submission gives the same answers."""
        answers = [SubmittedAnswer("a", ("DEV", "DSS"), "SOCIOCOM", "<i>pourquoi</i>", 3, "2026-11-23T10:00:00+00:00")]
        out = write_submission(make_submission("Kim", answers), tmp_path / "r.json")
        sub = read_submission(out)
        assert sub.learner == "Kim" and sub.answers == tuple(answers)


class TestReader:
    def test_bad_json_names_file_and_line(self, tmp_path):
        """Broken JSON is reported with its line, not raised as JSONDecodeError."""
        with pytest.raises(SubmissionError, match=r"remise.json.*ligne 2"):
            read_submission(write(tmp_path, '{"format":\n  oops}'))

    def test_file_not_in_utf8_is_named_in_french(self, tmp_path):
        path = tmp_path / "latin1.json"
        path.write_bytes('{"learner": "Hélène"}'.encode("latin-1"))
        with pytest.raises(SubmissionError, match="latin1.json.*UTF-8"):
            read_submission(path)

    @pytest.mark.parametrize("value", [["SOCIOPOL"], {"x": 1}, 3])
    def test_approach_of_the_wrong_type_is_a_submission_error(self, tmp_path, value):
        sub = {"format": FORMAT, "learner": "A", "answers": [{"case": "info-alimentaire", "axes": ["ORG"],
                                                              "approach": value}]}
        with pytest.raises(SubmissionError, match="approach"):
            read_submission(write(tmp_path, json.dumps(sub)))

    def test_other_format_is_refused(self, tmp_path):
        """A file of another format names the format found and the one expected."""
        with pytest.raises(SubmissionError, match="ockit-submission/9"):
            read_submission(write(tmp_path, {**good(), "format": "ockit-submission/9"}))

    def test_unknown_axis_names_answer_field_and_valid_codes(self, tmp_path):
        """An unknown code says which answer, which field, and the valid codes."""
        with pytest.raises(SubmissionError) as info:
            read_submission(write(tmp_path, good(axes=["ZQX"])))
        reason = info.value.reason
        assert "réponse n° 1" in reason and "champ axes" in reason and "ZQX" in reason
        assert all(code in reason for code in AXIS_CODES)

    def test_unknown_case_is_refused_when_cases_are_known(self, tmp_path):
        """With known_cases given, an answer to another case is an error naming it."""
        with pytest.raises(SubmissionError, match="cas inconnu"):
            read_submission(write(tmp_path, good()), known_cases={"autre"})

    @pytest.mark.parametrize("field, value", [("attempts", 0), ("attempts", True), ("justification", 12),
                                              ("approach", "SOCIO")])
    def test_bad_field_values_are_named(self, tmp_path, field, value):
        """Non-positive or boolean attempts, non-text justification, unknown approach: named."""
        with pytest.raises(SubmissionError, match=f"champ {field}"):
            read_submission(write(tmp_path, good(**{field: value})))

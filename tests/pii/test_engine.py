import logging

import pytest

from toolkit.errors import UserInputError
from toolkit.pii import engine
from toolkit.pii.engine import blank_pipeline, choose_model, engines_for
from toolkit.pii.scanner import ScanOptions, scan


def _installed(monkeypatch, names):
    monkeypatch.delenv(engine.MODEL_VARIABLE, raising=False)
    monkeypatch.setattr(engine, "_is_installed", lambda name: name in names)


def test_when_an_official_model_is_installed_then_it_comes_first(monkeypatch):
    _installed(monkeypatch, {"en_core_web_md", engine.REUPLOADED_MODEL})

    assert choose_model() == engine.ModelChoice("en_core_web_md", "official")


def test_when_only_the_reupload_is_installed_then_it_is_used(monkeypatch):
    _installed(monkeypatch, {engine.REUPLOADED_MODEL})

    assert choose_model().origin == "reupload"


def test_when_no_model_is_installed_then_ner_entities_are_not_covered(monkeypatch):
    _installed(monkeypatch, set())

    choice = choose_model()

    assert choice.name is None
    assert choice.not_covered == ("PERSON", "LOCATION")


def test_model_named_by_variable_wins_over_installed_ones(monkeypatch):
    _installed(monkeypatch, {"en_core_web_lg", "my_model"})
    monkeypatch.setenv(engine.MODEL_VARIABLE, "my_model")

    assert choose_model() == engine.ModelChoice("my_model", "option")


def test_model_named_but_missing_is_bad_input(monkeypatch):
    _installed(monkeypatch, set())

    with pytest.raises(UserInputError, match="'en_core_web_xx' is not installed"):
        choose_model("en_core_web_xx")


def test_blank_pipeline_gives_lowercase_lemmas():
    doc = blank_pipeline()("Call My PHONE")

    assert [token.lemma_ for token in doc] == ["call", "my", "phone"]


def test_blank_pipeline_lemmas_let_context_words_raise_the_score():
    analyzer = engines_for(choose_model("blank")).pattern_analyzer()

    def score(text):
        results = analyzer.analyze(text=text, language="en", entities=["US_SSN"])
        return max(result.score for result in results)

    assert score("SSN 219-09-9998 on file") > score("ref 219-09-9998 on file")


def test_when_root_logger_is_at_debug_then_no_raw_value_is_logged(
    caplog, monkeypatch, customers_csv, raw_values
):
    monkeypatch.setattr(logging.getLogger("toolkit"), "propagate", True)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="toolkit")

    scan([str(customers_csv)], ScanOptions())

    assert caplog.records
    for value in raw_values:
        assert value not in caplog.text

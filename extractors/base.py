"""The extractor contract and registry: text in, MovementEvents out, no Neo4j or Prefect here."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from movegraph.schema import Article, InputError, MovementEvent


@runtime_checkable
class Extractor(Protocol):
    """Turns one article into its movement events (one per trigger mention and destination)."""

    name: str
    version: str

    def extract(self, article: Article) -> list[MovementEvent]:
        """Return every movement event found in `article`, offsets into `article.text`."""
        ...


_REGISTRY: dict[str, Callable[..., Extractor]] = {}


def register_extractor(name: str) -> Callable[[Callable[..., Extractor]], Callable[..., Extractor]]:
    """Class decorator: make an extractor factory available under `name` (spaCy-style registry)."""

    def wrap(factory: Callable[..., Extractor]) -> Callable[..., Extractor]:
        _REGISTRY[name] = factory
        return factory

    return wrap


def available_extractors() -> list[str]:
    """Names that `create_extractor` accepts."""
    _load_builtin()
    return sorted(_REGISTRY)


def create_extractor(name: str, **config: object) -> Extractor:
    """Build the extractor registered as `name`; unknown names raise with the list of known ones."""
    return _factory(name, config)(**config)


def extractor_version(name: str, **config: object) -> str:
    """The version the extractor `name` would report with these options, without loading its models when
    its factory can tell (a `version_for(**config)` classmethod): a flow's parent process keys its caches
    on it while worker processes do the extracting. Other factories are built and asked."""
    factory = _factory(name, config)
    version_for = getattr(factory, "version_for", None)
    if callable(version_for):
        return str(version_for(**config))
    return str(factory(**config).version)


def extractor_needs_torch(name: str, **config: object) -> bool:
    """Whether the extractor `name` with these options may import torch to extract, as its factory's
    `needs_torch(**config)` classmethod says; a factory that does not say may. Lets a pool of worker
    processes that read without torch keep it out of memory (`without_torch`)."""
    factory = _factory(name, config)
    needs_torch = getattr(factory, "needs_torch", None)
    return bool(needs_torch(**config)) if callable(needs_torch) else True


def without_torch() -> None:
    """Make torch unimportable in this process (`sys.modules` maps it to None, Python's mark for a module that
    is not there), for a process that reads with an extractor that needs no torch: thinc, under spaCy, imports
    torch whenever it is installed, about 490 MiB it never uses. A process-pool initializer, hence no arguments."""
    sys.modules.setdefault("torch", None)  # type: ignore[arg-type]


def _factory(name: str, config: dict[str, object]) -> Callable[..., Extractor]:
    """The factory registered as `name`, checked to take `config`; unknown names list the known ones."""
    _load_builtin()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise InputError(f"unknown extractor {name!r}; available: {', '.join(sorted(_REGISTRY))}") from None
    try:
        inspect.signature(factory).bind_partial(**config)
    except TypeError as exc:
        raise InputError(f"extractor {name!r} does not take these options ({exc}); "
                         f"it takes: {', '.join(inspect.signature(factory).parameters)}") from None
    return factory


def _load_builtin() -> None:
    # Importing the built-in modules runs their @register_extractor decorators.
    from movegraph.extractors import rules, trained  # noqa: F401

"""Every playground surface by name, and the one type a file's ``surface`` object validates to."""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter, ValidationError

from trainlab.playground.data_surfaces import DATA_SURFACES
from trainlab.playground.expressions import Expression
from trainlab.playground.surfaces import ANALYTIC_SURFACES, Surface, SurfaceError

SURFACES: dict[str, type[Surface]] = {**ANALYTIC_SURFACES, **DATA_SURFACES,
                                      "expression": Expression}
SURFACE_NAMES = tuple(SURFACES)

#: A surface object of a playground file, told apart by its ``name``.
SurfaceSpec = Annotated[Union[tuple(SURFACES.values())],  # noqa: UP007  (a runtime tuple)
                        Field(discriminator="name")]

_ADAPTER: TypeAdapter = TypeAdapter(SurfaceSpec)


def make_surface(spec: dict[str, Any] | Surface) -> Surface:
    """A surface from its file object (``{"name": "rosenbrock", "b": 50}``); a
    :class:`SurfaceError` with one plain line for anything wrong with it."""
    if isinstance(spec, Surface):
        return spec
    from trainlab.playground.errors import problems_from

    try:
        return _ADAPTER.validate_python(spec)
    except ValidationError as error:
        path, message = problems_from(error, prefix="surface")[0]
        raise SurfaceError(f"{path}: {message}") from None

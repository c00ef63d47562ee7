import pytest


@pytest.fixture(scope="session", autouse=True)
def _engine_first(compiled_engine):
    """These tests train: the engine is compiled (or loaded) once, before the first."""

"""Carry a run over to other tools: :func:`export_torch` writes a standalone PyTorch script
that trains the same run (no PyTorch needed to write it)."""

from .torch_script import ExportError, export_torch

__all__ = ["ExportError", "export_torch"]

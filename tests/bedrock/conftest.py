"""Fixtures for the Bedrock interpreter tests: the fake Converse endpoint on 127.0.0.1."""

from __future__ import annotations

import pytest

from aidj.local_interpreter import LocalInterpreter
from tests.support.fake_bedrock import aws_test_env, fake_bedrock  # noqa: F401  (re-exported fixtures)


@pytest.fixture(scope="session")
def local() -> LocalInterpreter:
    """The fallback, rules only: fast and deterministic."""
    return LocalInterpreter(use_embeddings=False)

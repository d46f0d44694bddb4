"""The Bedrock models a request may choose: ``"interpreter": "bedrock:<name>"``.

The stack lists them (``aidj:bedrockModels``) and hands them to the function as
``AIDJ_BEDROCK_MODELS``, a JSON object ``{"claude": "<model id>", "nova": ..., "llama": ...}``;
IAM allows exactly those. Plain ``"bedrock"`` keeps using ``BEDROCK_MODEL_ID``. Every model is
asked through the same Converse call; the answer says which one read the prompt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

MODELS_VARIABLE = "AIDJ_BEDROCK_MODELS"
BACKEND = "bedrock"
PREFIX = f"{BACKEND}:"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
# What a request's "interpreter" may look like when naming a model (checked again against the list).
CHOICE_PATTERN = r"^bedrock:[a-z0-9][a-z0-9-]{0,31}$"


class UnknownModel(ValueError):
    """A request named a model this deployment does not offer."""


@dataclass(frozen=True)
class ModelChoices:
    models: Mapping[str, str] = field(default_factory=dict)  # name -> Bedrock model id

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ModelChoices:
        raw = (env.get(MODELS_VARIABLE) or "").strip()
        if not raw:
            return cls()
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and NAME.match(k) and isinstance(v, str) and v.strip()
            for k, v in value.items()
        ):
            raise ValueError(
                f"{MODELS_VARIABLE} must be a JSON object of names to model ids, e.g. "
                '{"nova": "eu.amazon.nova-lite-v1:0"} (names: lowercase letters, digits, -)'
            )
        return cls({name: value[name] for name in sorted(value)})

    @property
    def names(self) -> tuple[str, ...]:
        """What a request may send: ``bedrock:<name>`` for each offered model."""
        return tuple(f"{PREFIX}{name}" for name in self.models)

    def model_id(self, requested: str) -> str:
        """The model id behind ``bedrock:<name>``; :class:`UnknownModel` naming the choices."""
        name = requested.removeprefix(PREFIX)
        if requested.startswith(PREFIX) and name in self.models:
            return self.models[name]
        offered = ", ".join(self.names) or "none (this deployment offers only plain bedrock)"
        raise UnknownModel(f"no model {requested!r} here: choose one of {offered}")


def is_choice(name: str) -> bool:
    return name.startswith(PREFIX)


def tool_choice(model_id: str, tool_name: str) -> dict[str, object]:
    """How to ask the model for the tool call: forced where the model supports it.

    Converse accepts ``{"tool": ...}`` from Anthropic and Amazon Nova models; Meta's Llama
    models take only ``auto`` (a forced choice is a ValidationException), so they are asked
    for the tool by the system prompt alone and a text answer falls back like any failure.
    """
    # "meta.llama3-..." or, through an inference profile, "eu.meta.llama3-..."
    if "meta" in model_id.split(".")[:2]:
        return {"auto": {}}
    return {"tool": {"name": tool_name}}

"""The Bedrock models a request may choose, and how their ids read.

``aidj:bedrockModels`` names them (``{"claude": "eu.anthropic...", "nova": "eu.amazon.nova-lite-v1:0",
"llama": "eu.meta.llama3-2-3b-instruct-v1:0"}``); a request picks one with
``"interpreter": "bedrock:<name>"``, and ``aidj:bedrockModelId`` stays the one plain ``"bedrock"``
uses. All of them go through the same Converse call, so IAM's ``bedrock:InvokeModel`` on exactly
these ids (and the foundation models their profiles route to) is all the function needs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

# Bedrock cross-region inference profiles are named "<geography>.<foundation model id>".
INFERENCE_PROFILE_PREFIXES = ("us.", "eu.", "apac.", "us-gov.", "ca.", "jp.", "au.", "global.")

# A name travels in a request ("bedrock:<name>") and an environment variable: keep it plain.
MODEL_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")

# The function reads the choices from this variable (JSON object, names sorted).
MODELS_VARIABLE = "AIDJ_BEDROCK_MODELS"


def is_inference_profile(model_id: str) -> bool:
    return model_id.startswith(INFERENCE_PROFILE_PREFIXES)


def foundation_model_id(model_id: str) -> str:
    """The model an inference profile routes to (the id without its geography prefix)."""
    return model_id.split(".", 1)[1] if is_inference_profile(model_id) else model_id


def model_problem(name: str, model_id: str) -> str | None:
    """Why a ``name: id`` entry cannot be offered, or None when it can."""
    if not MODEL_NAME.match(name):
        return f"has the name {name!r}: use lowercase letters, digits and '-' (e.g. nova)"
    if not model_id.strip():
        return f"gives {name!r} no model id"
    return None


def allowed_model_ids(default_id: str, choices: Mapping[str, str]) -> tuple[str, ...]:
    """Every model id the function may call: the default first, then the choices by name."""
    ordered = [default_id, *(choices[name] for name in sorted(choices))]
    return tuple(dict.fromkeys(ordered))


def models_variable(choices: Mapping[str, str]) -> str:
    """The choices as the function reads them: same stack config, same string."""
    return json.dumps({name: choices[name] for name in sorted(choices)}, separators=(",", ":"))

"""What checking a Cognito access token costs the service: the pure-Python RS256 check
(clients/cognito.py) against the same check by the `cryptography` library, per token.

    uv run python benchmarks/signin_tokens.py [--rounds N]

A 2048-bit key signs a token shaped like Cognito's; the verifier gets its JWKS from memory (no
network), so only the signature, claims and cache lookups are timed. Prints a Markdown table
(median and p95 in microseconds) to paste into docs/BENCHMARKS.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import time
from collections.abc import Callable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from aidj_service.clients.cognito import CognitoVerifier

ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_bench"
CLIENT = "bench-client"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2000)
    args = ap.parse_args()

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    jwk = {
        "kty": "RSA",
        "alg": "RS256",
        "kid": "k1",
        "n": b64(numbers.n.to_bytes(256, "big")),
        "e": b64(numbers.e.to_bytes(3, "big")),
    }
    now = int(time.time())
    claims = {"sub": "u-1", "iss": ISSUER, "client_id": CLIENT, "token_use": "access"}
    claims |= {"iat": now, "exp": now + 3600, "username": "u-1"}
    signing_input = f"{b64(json.dumps({'kid': 'k1', 'alg': 'RS256'}).encode())}.{b64(json.dumps(claims).encode())}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    token = f"{signing_input}.{b64(signature)}"

    verifier = CognitoVerifier(ISSUER, CLIENT, fetch=lambda url: {"keys": [jwk]})
    verifier.verify(token)  # loads the keys once, as the first request does
    public = key.public_key()

    def library() -> None:
        public.verify(signature, signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())

    def ours() -> None:
        verifier.verify(token)

    print("| check | median µs | p95 µs |\n|---|---|---|")
    for name, run in (
        ("clients/cognito.py (whole token)", ours),
        ("cryptography (signature only)", library),
    ):
        print(f"| {name} | {timed(run, args.rounds)} |")


def timed(run: Callable[[], None], rounds: int) -> str:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1e6)
    samples.sort()
    return f"{statistics.median(samples):.0f} | {samples[int(len(samples) * 0.95)]:.0f}"


if __name__ == "__main__":
    main()

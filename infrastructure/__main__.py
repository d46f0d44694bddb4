"""Pulumi entry point (Pulumi.yaml: ``main: infrastructure/``); the program lives in aidj_infra."""

from aidj_infra.stack import main

main()

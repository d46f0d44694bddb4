"""Pulumi program for AI DJ."""

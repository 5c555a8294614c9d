"""Tests of the protocol client."""

"""Tests of the XuC integration."""

"""Environment variables: conversion, choices, and the clear message on a bad value."""

import pytest

from yiwang.conf.env import REGISTRY, ConfigurationError, env


def test_unset_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("YIWANG_TEST_X", raising=False)
    assert env("YIWANG_TEST_X", 3, kind="int", help="h") == 3


@pytest.mark.parametrize(("raw", "value"), [("yes", True), ("0", False), ("", False)])
def test_booleans(monkeypatch, raw, value):
    monkeypatch.setenv("YIWANG_TEST_X", raw)
    assert env("YIWANG_TEST_X", True, kind="bool", help="h") is value


def test_lists_drop_blanks(monkeypatch):
    monkeypatch.setenv("YIWANG_TEST_X", "a.example, b.example,,")
    assert env("YIWANG_TEST_X", [], kind="list", help="h") == ["a.example", "b.example"]


def test_bad_values_name_the_variable(monkeypatch):
    monkeypatch.setenv("YIWANG_TEST_X", "verbose")
    with pytest.raises(ConfigurationError) as caught:
        env("YIWANG_TEST_X", "INFO", help="h", choices=("DEBUG", "INFO"))
    assert str(caught.value) == "YIWANG_TEST_X='verbose': expected one of DEBUG, INFO"
    monkeypatch.setenv("YIWANG_TEST_X", "many")
    with pytest.raises(ConfigurationError) as caught:
        env("YIWANG_TEST_X", 0, kind="int", help="h")
    assert str(caught.value) == "YIWANG_TEST_X='many': expected an integer"


def test_choices_are_documented():
    assert REGISTRY["LOG_LEVEL"].help.endswith("One of: `DEBUG`, `INFO`, `WARNING`, `ERROR`.")

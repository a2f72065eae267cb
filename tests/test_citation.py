"""CITATION.cff, how to cite the book: valid for CFF 1.2.0, and saying what the rest of the
repository says (the version is pyproject.toml's, the one source of it)."""
import datetime
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text())
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
sys.path[:0] = [str(ROOT / "book"), str(ROOT / ".ci")]
import build_book as book  # noqa: E402


def test_citation_has_the_keys_cff_requires():
    assert CFF["cff-version"] == "1.2.0"
    assert {"message", "authors", "title"} <= CFF.keys()
    assert all(author.get("name") or author.get("family-names") for author in CFF["authors"])


def test_citation_version_is_pyprojects():
    assert str(CFF["version"]) == PROJECT["version"], "set CITATION.cff's version to pyproject.toml's"


def test_citation_date_is_a_date():
    """CFF wants YYYY-MM-DD (quoted, so that YAML keeps it a string, as the schema says)."""
    assert isinstance(CFF["date-released"], str)
    assert datetime.date.fromisoformat(CFF["date-released"]).isoformat() == CFF["date-released"]


def test_citation_names_the_book_its_license_and_repository():
    assert CFF["title"] == book.TITLE
    assert CFF["license"] == PROJECT["license"]["text"]
    assert CFF["repository-code"] == f"https://github.com/{book.REPOSITORY}"

"""The lock files pin every package with its sha256 hashes, and every install checks them."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_every_locked_package_is_pinned_with_hashes(name):
    text = (ROOT / name).read_text()
    # One requirement = a "name==version" line and its continuation lines.
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    requirements = [block for block in blocks if "==" in block.split("\n", 1)[0]]
    assert len(requirements) > 20
    for block in requirements:
        assert "--hash=sha256:" in block, block.split("\n", 1)[0]


def test_installs_require_the_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(PIP_INSTALL) --require-hashes -r requirements.txt" in makefile
    assert "$(PIP_INSTALL) --require-hashes -r requirements-dev.txt" in makefile
    assert makefile.count("--generate-hashes") == 2
    assert "pip install --no-cache-dir --require-hashes -r requirements.txt" in (
        (ROOT / "Dockerfile").read_text()
    )

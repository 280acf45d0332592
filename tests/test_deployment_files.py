"""The Dockerfile and compose.yaml cannot be run here (no Docker): what they name must exist.

The sikumuh subcommands they run, the files they copy, the Debian packages they install (the
image is Debian bookworm, as this machine), and the variables of the environment file, each
documented in README's configuration table.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess

import pytest

from sikumuh.cli import build_parser
from tests.conftest import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text()
COMPOSE = (REPO / "compose.yaml").read_text()
README = (REPO / "README.md").read_text()
#: Commands of issue 9 written on other branches; a command listed here and not in the CLI is
#: not checked (remove it from here once it exists).
ELSEWHERE: set[str] = set()  # every command the deployment files run exists


def subcommands() -> set[str]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if a.dest == "command"]
    return set(action.choices)  # type: ignore[arg-type]  # a subparsers action


def sikumuh_commands(text: str) -> list[str]:
    """The subcommand of each `sikumuh X` in JSON-list form or at the start of a shell line
    (systemd's ExecStart=/path/to/sikumuh X included)."""
    listed = re.findall(r'\["sikumuh", "([a-z-]+)"', text)
    shell = re.findall(r"^\s*(?:ExecStart=\S*/)?sikumuh ([a-z][a-z-]+)", text, flags=re.M)
    return [*listed, *shell]


def code_blocks(markdown: str) -> str:
    return "\n".join(re.findall(r"^```[a-z]*\n(.*?)^```", markdown, flags=re.M | re.S))


@pytest.mark.parametrize("name", ["Dockerfile", "compose.yaml", "README.md"])
def test_every_sikumuh_command_the_deployment_runs_exists(name: str) -> None:
    text = (REPO / name).read_text()
    named = set(sikumuh_commands(code_blocks(text) if name.endswith(".md") else text))
    assert named
    missing = named - subcommands() - ELSEWHERE
    assert not missing, f"{name} runs unknown commands: {sorted(missing)}"


def test_the_dockerfile_copies_files_that_exist() -> None:
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY") and "--from" not in line:
            *sources, _target = shlex.split(line)[1:]
            for source in sources:
                assert (REPO / source).exists(), source


def test_the_image_serves_in_production_as_a_non_root_user() -> None:
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", DOCKERFILE, flags=re.M)
    assert re.search(r"^USER sikumuh$", DOCKERFILE, flags=re.M)
    assert "SIKUMUH_ENV=production" in DOCKERFILE
    assert '"sikumuh", "serve"' in DOCKERFILE


@pytest.mark.skipif(shutil.which("apt-cache") is None, reason="not a Debian machine")
def test_the_debian_packages_of_the_image_exist() -> None:
    block = re.search(r"apt-get install -y --no-install-recommends \\\n(.*?)\\\n", DOCKERFILE, re.S)
    assert block
    packages = block.group(1).split()
    result = subprocess.run(
        ["apt-cache", "show", "--no-all-versions", *packages], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert set(packages) == set(re.findall(r"^Package: (\S+)", result.stdout, re.M))


def test_compose_runs_postgresql_a_web_server_and_a_worker_after_migrate() -> None:
    for service in ("db:", "migrate:", "web:", "worker:"):
        assert f"\n  {service}\n" in COMPOSE, service
    assert COMPOSE.count("condition: service_completed_successfully") == 2


def test_every_variable_of_the_environment_file_is_documented() -> None:
    example = (REPO / "deploy" / "sikumuh.env.example").read_text()
    variables = re.findall(r"^([A-Z_]+)=", example, flags=re.M)
    table = set(re.findall(r"^\| `([A-Z_]+)` \|", README, flags=re.M))
    assert set(variables) - table == set()


def test_every_setting_read_from_the_environment_is_documented() -> None:
    settings_py = (REPO / "config" / "settings.py").read_text()
    read = set(
        re.findall(
            r'env_(?:str|bool|int|list|required|required_list)\(\s*"([A-Z0-9_]+)"', settings_py
        )
    )
    assert {"EMAIL_BACKEND", "SIKUMUH_REQUIRE_2FA", "SIKUMUH_JOB_RETENTION_DAYS"} <= read
    table = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", README, flags=re.M))
    assert read - table == set()

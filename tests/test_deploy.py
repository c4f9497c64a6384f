"""The deployment files agree with the app: Dockerfile, Kubernetes manifest, config.toml.

PyYAML is not among the requirements, so the manifest is read with a small parser of the
block-style YAML subset it uses (mappings, sequences, plain or quoted scalars, comments,
``---`` between documents); where PyYAML happens to be installed the parser is checked
against ``yaml.safe_load_all``.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from learners.reading.formats import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "deploy" / "indentlab.yaml"
HEALTH_PATH = "/_stcore/health"


def _scalar(text: str):
    """A YAML plain or quoted scalar as int, bool, None or str."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return {"true": True, "false": False, "null": None, "~": None}.get(text, text)


def _strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` outside quotes."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _parse_block(lines: list[tuple[int, str]], i: int, indent: int):
    """Parse the mapping or sequence whose lines start at ``lines[i]`` with ``indent``."""
    if lines[i][1].startswith("- ") or lines[i][1] == "-":
        items = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("-"):
            rest = lines[i][1][1:].lstrip()
            if not rest:
                value, i = _parse_block(lines, i + 1, lines[i + 1][0])
            elif re.match(r"^[\w.\-/]+:(\s|$)", rest):
                # "- key: value" opens a mapping indented like the text after "- "
                child = indent + (len(lines[i][1]) - len(rest))
                lines[i] = (child, rest)
                value, i = _parse_block(lines, i, child)
            else:
                value, i = _scalar(rest), i + 1
            items.append(value)
        return items, i
    mapping = {}
    while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
        key, _, rest = lines[i][1].partition(":")
        rest = rest.strip()
        if rest:
            mapping[key.strip()], i = _scalar(rest), i + 1
        elif i + 1 < len(lines) and lines[i + 1][0] > indent:
            mapping[key.strip()], i = _parse_block(lines, i + 1, lines[i + 1][0])
        elif i + 1 < len(lines) and lines[i + 1][0] == indent and lines[i + 1][1][0] == "-":
            mapping[key.strip()], i = _parse_block(lines, i + 1, indent)  # "key:\n- item"
        else:
            mapping[key.strip()], i = None, i + 1
    return mapping, i


def load_manifest(text: str) -> list[dict]:
    """Documents of a block-style YAML file (the subset deploy/indentlab.yaml uses)."""
    documents = []
    for chunk in re.split(r"^---\s*$", text, flags=re.MULTILINE):
        lines = []
        for raw in chunk.splitlines():
            line = _strip_comment(raw)
            if line.strip():
                lines.append((len(line) - len(line.lstrip(" ")), line.strip()))
        if lines:
            document, end = _parse_block(lines, 0, lines[0][0])
            assert end == len(lines), f"could not parse line: {lines[end][1]!r}"
            documents.append(document)
    return documents


@pytest.fixture(scope="module")
def manifest() -> dict[str, dict]:
    documents = load_manifest(MANIFEST.read_text())
    return {doc["kind"]: doc for doc in documents}


def test_small_parser_agrees_with_pyyaml():
    yaml = pytest.importorskip("yaml")
    assert load_manifest(MANIFEST.read_text()) == list(yaml.safe_load_all(MANIFEST.read_text()))


def test_deployment_has_replicas_probes_and_the_store_secret(manifest):
    deployment = manifest["Deployment"]
    spec = deployment["spec"]
    assert spec["replicas"] >= 2
    pod = spec["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    (container,) = pod["containers"]
    assert {"containerPort": 8501, "name": "http"} in container["ports"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH_PATH, "port": 8501}, probe
    env = {item["name"]: item for item in container["env"]}
    store = env["INDENTLAB_STORE_URL"]["valueFrom"]["secretKeyRef"]
    assert store["name"] and store["key"]
    assert "optional" not in store  # the class store is required
    resources = container["resources"]
    assert resources["requests"]["memory"] == "700M"  # Community Cloud's 0.7 GB
    assert resources["limits"]["memory"] == "2700M"  # ... up to 2.7 GB
    labels = spec["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= labels.items()


def test_service_keeps_a_learner_on_one_replica(manifest):
    service = manifest["Service"]["spec"]
    assert service["sessionAffinity"] == "ClientIP"
    timeout_s = service["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"]
    assert 3600 <= timeout_s <= 86400  # at least a lesson, at most Kubernetes' maximum
    assert service["ports"][0]["targetPort"] == 8501
    labels = manifest["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert service["selector"].items() <= labels.items()


def readme_start_command() -> list[str]:
    """Words of the README's start command: the ``streamlit run`` part of its first bash block."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text, flags=re.DOTALL).group(1)
    commands = [part.strip() for part in block.replace("\\\n", " ").split("&&")]
    (start,) = [c for c in commands if c.startswith("streamlit run")]
    return start.split()


def dockerfile_instruction(name: str) -> list[str]:
    """Arguments of the Dockerfile's (last) ``name`` instruction, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith(name + " ")]
    return lines[-1][len(name) :].strip()


def test_dockerfile_runs_the_readme_start_command():
    cmd = json.loads(dockerfile_instruction("CMD"))  # exec form
    start = readme_start_command()
    assert start == ["streamlit", "run", "streamlit_app.py"]
    assert cmd[: len(start)] == start
    options = dict(zip(cmd[len(start) :: 2], cmd[len(start) + 1 :: 2], strict=True))
    assert options == {
        "--server.address": "0.0.0.0",
        "--server.port": "8501",
        "--server.headless": "true",
    }


def test_dockerfile_installs_requirements_runs_unprivileged_and_checks_health():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, flags=re.MULTILINE)
    assert "pip install -r requirements.txt" in text
    user = dockerfile_instruction("USER")
    assert user not in ("root", "0")
    assert dockerfile_instruction("EXPOSE") == "8501"
    health = dockerfile_instruction("HEALTHCHECK")
    assert f"http://localhost:8501{HEALTH_PATH}" in health
    assert "curl" not in health  # python:3.11-slim has no curl


def test_dockerignore_keeps_secrets_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".streamlit/secrets.toml" in ignored
    assert ".git" in ignored


def test_upload_cap_matches_the_app_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    cap_bytes = config["server"]["maxUploadSize"] * 1024 * 1024  # Streamlit counts MiB
    # The server cap lies just above the reader's limit (learners.reading.formats.MAX_BYTES),
    # so the reader's message is shown.
    assert MAX_BYTES <= cap_bytes < MAX_BYTES + 1024 * 1024
    assert config["browser"]["gatherUsageStats"] is False
    assert config["theme"]["base"] == "light"

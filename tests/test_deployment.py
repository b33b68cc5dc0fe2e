"""The deployment files say what the project really is: docker-compose.yml and the Dockerfile name commands,
modules and files that exist; production settings pass `check --deploy`; `.env.example` documents exactly the
variables congress/settings.py reads. None of these tests needs Docker."""
import importlib
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = {"web", "worker", "beat"}
ENV_CALL = re.compile(r"""\benv_(?:str|bool|int|list)\(\s*["']([A-Z][A-Z0-9_]*)["']""")
ENV_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
COMPOSE_ONLY_MARKER = "仅 docker-compose / docker-compose only"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def _command_parts(command) -> list[list[str]]:
    """A compose command (list or string, possibly `sh -c "a && b"`) as a list of simple commands."""
    words = command if isinstance(command, list) else shlex.split(command)
    if words[:2] == ["sh", "-c"] or words[:2] == ["bash", "-c"]:
        return [shlex.split(part) for part in re.split(r"&&|;", words[2])]
    return [words]


def _check_simple_command(words: list[str]) -> None:
    if words and words[0] == "exec":
        words = words[1:]
    program = words[0]
    if program == "python" and words[1] == "manage.py":
        assert words[2] in get_commands(), f"manage.py has no command {words[2]!r}"
        assert (ROOT / "manage.py").exists()
    elif program == "gunicorn":
        target = next(w for w in words[1:] if not w.startswith("-"))
        module_name, _, attr = target.partition(":")
        module = importlib.import_module(module_name)
        assert callable(getattr(module, attr or "application")), f"{target} is not a WSGI callable"
    elif program == "celery":
        app_name = words[words.index("-A") + 1]
        package = importlib.import_module(app_name)
        from celery import Celery

        # `celery -A congress` finds congress.celery_app / congress.celery (celery's own lookup order)
        app = getattr(package, "celery_app", None) or getattr(package, "app", None)
        if app is None:
            app = importlib.import_module(f"{app_name}.celery").app
        assert isinstance(app, Celery)
        assert app.main == "congress"
        subcommand = next(w for w in words[words.index("-A") + 2:] if not w.startswith("-"))
        assert subcommand in {"worker", "beat"}
    else:
        pytest.fail(f"unknown program in a compose command: {words}")


def test_compose_services_exist(compose):
    assert SERVICES <= set(compose["services"])


def test_compose_healthchecks_and_dependencies(compose):
    services = compose["services"]
    for name in ("postgres", "redis", "web"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert "pg_isready" in str(services["postgres"]["healthcheck"]["test"])
    assert "ping" in str(services["redis"]["healthcheck"]["test"])
    assert "/healthz" in str(services["web"]["healthcheck"]["test"])
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        for needed in ("postgres", "redis"):
            assert depends[needed]["condition"] == "service_healthy", f"{name} must wait for a healthy {needed}"


def test_compose_postgres_and_redis(compose):
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:15")
    volume = services["postgres"]["volumes"][0].split(":")[0]
    assert volume in compose["volumes"], "the database must live in a named volume"
    assert services["redis"]["image"].startswith("redis:7")
    command = services["redis"]["command"]
    command = " ".join(command) if isinstance(command, list) else command
    assert "--maxmemory-policy noeviction" in command, "Celery's broker must never evict keys"


def test_compose_app_services_environment(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        env_file = service["env_file"]
        assert ".env" in (env_file if isinstance(env_file, list) else [env_file])
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert service["build"] == "." or service["build"].get("context") == "."


def test_compose_commands_exist(compose):
    services = compose["services"]
    web = " ".join(services["web"]["command"]) if isinstance(services["web"]["command"], list) \
        else services["web"]["command"]
    for step in ("manage.py migrate", "manage.py collectstatic", "gunicorn congress.wsgi:application"):
        assert step in web
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1, "exactly one beat"
    for name in APP_SERVICES:
        for words in _command_parts(services[name]["command"]):
            _check_simple_command(words)


def test_dockerfile_base_user_and_copies(dockerfile):
    assert dockerfile[0] == "FROM python:3.11-slim-bookworm"
    installs = " ".join(line for line in dockerfile if line.startswith("RUN") and "apt-get install" in line)
    for package in ("fonts-noto-cjk", "libpango-1.0-0", "libpangoft2-1.0-0", "gettext"):
        assert package in installs
    assert any(line.startswith("RUN") and "pip install -r requirements.lock" in line for line in dockerfile)
    assert any(line.startswith("RUN") and "compilemessages" in line for line in dockerfile)
    users = [line.split()[1] for line in dockerfile if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}, "the image must run as a non-root user"

    copied = set()
    for line in dockerfile:
        if not line.startswith("COPY "):
            continue
        words = [w for w in shlex.split(line)[1:] if not w.startswith("--")]
        for source in words[:-1]:
            assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which does not exist"
            copied.add(source.rstrip("/"))
    assert "requirements.lock" in copied
    # Each folder is copied by name (the repository has no .dockerignore): a new app must be added there.
    local_apps = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()}
    for needed in local_apps | {"manage.py", "templates", "static", "locale"}:
        assert needed in copied or "." in copied, f"the Dockerfile does not copy {needed}"


def test_check_deploy_passes_with_production_settings(tmp_path):
    # a clean environment: the test run's own variables (DJANGO_ALLOW_ASYNC_UNSAFE, SECRET_KEY=test) must not leak
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="congress.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_COOKIES="1",
        ALLOWED_HOSTS="renda.example",
        VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def _settings_variables() -> set[str]:
    return set(ENV_CALL.findall((ROOT / "congress" / "settings.py").read_text(encoding="utf-8")))


def test_env_example_lists_every_settings_variable():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    settings_part, _, compose_part = text.partition(COMPOSE_ONLY_MARKER)
    documented = set(ENV_LINE.findall(settings_part))
    read = _settings_variables()
    assert read, "no env_*() calls found in congress/settings.py"
    assert not read - documented, f".env.example lacks {sorted(read - documented)}"
    assert not documented - read, f".env.example documents variables settings.py never reads: {sorted(documented - read)}"
    # variables after the marker are for docker compose itself and must be used in docker-compose.yml
    compose_text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for name in ENV_LINE.findall(compose_part):
        assert "${" + name in compose_text, f"{name} is in the docker-compose section but not in docker-compose.yml"


def test_env_example_names_each_default():
    """Each variable's entry has a bilingual comment stating its default."""
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = ENV_LINE.match(line)
        if not match or match.group(1) not in _settings_variables():
            continue
        comment = []
        for previous in reversed(lines[:index]):
            if not previous.startswith("#") or ENV_LINE.match(previous):
                break
            comment.append(previous)
        assert any("默认 default:" in c for c in comment), f"{match.group(1)}: no '默认 default:' comment"


LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
APP_PACKAGES = ("congress", "deputies", "proposals", "stations", "supervision")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-logo", "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(cwd)})


def test_the_test_command_checks_the_boundaries_before_pytest():
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    steps = [script.index(step) for step in ("makemigrations --check", ".venv/bin/lint-imports", '-m pytest "$@"')]
    assert steps == sorted(steps)


def test_the_import_contracts_are_kept():
    result = _lint_imports(ROOT)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "2 kept, 0 broken" in output, output


@pytest.mark.parametrize("module, line", [
    ("congress/_probe.py", "from deputies.models import Deputy\n"),           # congress is the bottom layer
    ("deputies/_probe.py", "import proposals.selectors\n"),                   # deputies sits below proposals
    ("stations/_probe.py", "from proposals.models import Suggestion\n"),      # siblings stay independent
    ("proposals/_probe.py", "from deputies.views import home\n"),             # pages are not an app's surface
    ("stations/_probe.py", "from deputies.admin import DeputyAdmin\n"),       # nor is the admin
])
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, line):
    """The contracts bite: the same tree with one offending import fails lint-imports."""
    import shutil

    for package in APP_PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / module).write_text(line, encoding="utf-8")
    result = _lint_imports(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "BROKEN" in output and "_probe" in output, output


def test_docs_rules_names_every_setting():
    """docs/rules.md gives each rule its setting: every variable settings.py reads and every key of the apps' conf
    dictionaries appears there, so a new setting cannot go undocumented."""
    from congress.lib import delivery
    from deputies import conf as deputies_conf
    from proposals import conf as proposals_conf
    from stations import conf as stations_conf

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    names = _settings_variables() | set(deputies_conf.DEFAULTS) | set(proposals_conf.DEFAULTS) \
        | set(stations_conf.DEFAULTS) | set(delivery.DEFAULTS)
    missing = sorted(name for name in names if f"`{name}`" not in text and f'["{name}"]' not in text)
    assert not missing, f"docs/rules.md does not mention {missing}"


def test_nothing_in_the_repository_points_to_reference_files_outside_it():
    """The repository stands alone: code, templates, scripts and docs name its own docs/, never the reference notes
    the team kept beside it."""
    outside = ("RULES.md", "DESIGN.md", "STACK-NOTES", "CONVENTIONS.md", "GLOSSARY.md", "../shared")
    found = []
    for path in ROOT.rglob("*"):
        if path.suffix not in {".py", ".html", ".md", ".sh", ".toml", ".yml", ".txt", ".example", ".css", ".js"} \
                or any(part in {".venv", "var", "node_modules", ".git"} for part in path.parts) or path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [f"{path.relative_to(ROOT)}: {name}" for name in outside if name in text]
    assert not found, found


def test_the_readme_points_to_docs_not_to_files_outside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("RULES.md", "DESIGN.md", "STACK-NOTES.md"):
        assert name not in readme
    for doc in ("README.md", "rules.md", "architecture.md"):
        assert (ROOT / "docs" / doc).exists(), f"docs/{doc} is missing"
        assert f"docs/{doc}" in readme, f"README.md does not link docs/{doc}"

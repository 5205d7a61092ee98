"""The Kafka broker's classpath, resolved once from Maven Central into a cache outside the repo.

``kafka-pom.xml`` beside this module names the broker and an slf4j binding; Maven copies them and
their runtime dependencies into ``<cache>/kafka-<version>/libs``. A marker holding the pom's hash is
written only after a complete copy, so an interrupted fetch is redone and a changed pom refetches.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from deploy.local.common import StackError

__all__ = ["KAFKA_VERSION", "cache_dir", "ensure_jars"]

KAFKA_VERSION = "4.1.1"
POM = Path(__file__).with_name("kafka-pom.xml")
MAVEN_TIMEOUT_S = 900


def cache_dir() -> Path:
    """Where downloaded things are kept between runs: ``$ONETHING_CACHE_DIR`` or the XDG cache."""
    explicit = os.environ.get("ONETHING_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "onething"


def _pom_digest() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest()


def _complete(home: Path, digest: str) -> bool:
    marker = home / "complete"
    return (
        marker.is_file()
        and marker.read_text().strip() == digest
        and (home / "libs" / f"kafka_2.13-{KAFKA_VERSION}.jar").is_file()
    )


def ensure_jars() -> Path:
    """Return the folder of broker jars, fetching them with ``mvn`` if not cached yet."""
    home = cache_dir() / f"kafka-{KAFKA_VERSION}"
    digest = _pom_digest()
    if _complete(home, digest):
        return home / "libs"
    if shutil.which("mvn") is None:
        raise StackError("mvn is not on PATH; install Maven (Debian: apt-get install maven)")
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".lock").open("w") as lock:
        # Two checkouts sharing one cache may fetch at once; the second waits, then reuses.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _complete(home, digest):
            return home / "libs"
        _fetch(home)
        (home / "complete").write_text(digest + "\n")
    return home / "libs"


def _fetch(home: Path) -> None:
    work = home / "maven"
    partial = home / "libs.partial"
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(partial, ignore_errors=True)
    work.mkdir()
    # Maven runs in the cache, not the repository, so it leaves nothing in the work tree.
    shutil.copyfile(POM, work / "pom.xml")
    print(
        f"fetching the Kafka {KAFKA_VERSION} jars from Maven Central (first run only)...",
        file=sys.stderr,
        flush=True,
    )
    command = [
        "mvn",
        "-q",
        "-B",
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={partial}",
    ]
    try:
        result = subprocess.run(
            command,
            cwd=work,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=MAVEN_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise StackError(f"mvn did not finish within {MAVEN_TIMEOUT_S}s") from None
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise StackError(
            f"mvn failed to fetch the Kafka jars (exit {result.returncode}):\n{output}"
        )
    if not (partial / f"kafka_2.13-{KAFKA_VERSION}.jar").is_file():
        raise StackError(f"mvn finished but {partial} has no kafka_2.13-{KAFKA_VERSION}.jar")
    libs = home / "libs"
    shutil.rmtree(libs, ignore_errors=True)
    partial.rename(libs)
    shutil.rmtree(work, ignore_errors=True)

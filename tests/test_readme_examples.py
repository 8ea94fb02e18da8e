"""Every example in README.md runs.

Each fenced ```sql block is split into its statements and run on a read-only connection to a
warehouse built from the sample (tests/fixtures/xinzhou-2024-05.txt, laid out as the README's
data/raw/, with the two hand-written notices of tests/fixtures/handwritten/ that give the repeal
examples something to show); each statement must also return rows, except those listed in EMPTY_ON_SAMPLE with the
reason.  Each line of a ```bash block that calls `gazette` runs through the CLI (typer's CliRunner,
in-process) in a temporary working directory, with `--db` pointing at the test warehouse; it must
exit 0, and a file it is asked to write (`--out`) must exist.  Other lines are run too when a test
can run them (PATH_REWRITES sends their output to the temporary directory); the ones that cannot
(setup scripts, servers, the network, long benchmarks) are listed in NOT_RUN with the reason, and a
line that is in neither list fails the test, so a new example is either run or explained.

`gazette ingest` runs with GAZETTE_DIRECT=1: each flow run would start a temporary Prefect server
(10-20 s); the flow itself is tested in tests/test_flows.py.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import regex
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store import warehouse
from tests.conftest import FIXTURES, REPO, SAMPLE_TXT

README = REPO / "README.md"
GAZETTE = (".venv/bin/gazette", "gazette")

# Lines of ```bash blocks that a test cannot run: the start of the line → why.
NOT_RUN = {
    "bash scripts/run-sample.sh": "setup: creates .venv and ingests into the repository's data/",
    "bash scripts/test.sh": "runs this test suite",
    "PYTHONPATH=. .venv/bin/python benchmarks/bench_ocr.py": "benchmark: OCR of a rendered PDF, minutes on a shared machine",
    "PYTHONPATH=. .venv/bin/python benchmarks/bench_ingest.py": "benchmark: timed runs, not a check",
    "PREFECT_HOME=$PWD/.prefect .venv/bin/prefect server start": "starts a long-running Prefect server",
    "export PREFECT_API_URL=": "shell state for a running Prefect server",
    ".venv/bin/gazette fetch": "downloads from the network (tests/test_fetch.py serves a local site instead)",
    ".venv/bin/gazette serve": "runs a scheduler until stopped (tests/test_flows.py covers the schedule)",
    ".venv/bin/gazette ingest data/raw/ --task-runner dask --dask-address": "needs a running Dask cluster",
    "python tests/fixtures/make_hostile_files.py": "writes the full-size hostile files (30 MB, 2,000 pages); the tests make them with --small",
    ".venv/bin/gazette remove ": "deletes the sample issue the other examples read (tests/test_supersede_remove.py covers it)",
    ".venv/bin/gazette ingest data/raw/ --flow": "starts a temporary Prefect server (7–15 s); tests/test_flows.py runs the flow",
}

# Paths outside the working directory that a runnable line writes to: sent into the temporary directory.
PATH_REWRITES = {"/tmp/bad-files": "bad-files"}

# SQL statements that return no rows on the sample, and why (matched on a piece of the statement).
EMPTY_ON_SAMPLE = {
    "FROM run_files f JOIN runs r": "no file of the sample fails, so the run log has no failed file",
    "WHERE person_key_basis = 'name_and_organs'": "the sample has no homonyms (tests/test_person_keys.py makes some)",
}


@dataclass(frozen=True)
class Example:
    language: str  # sql or bash
    line: int  # line of README.md where the statement or command starts
    text: str

    @property
    def id(self) -> str:
        return f"L{self.line}-{self.language}"


def readme_examples(readme: str) -> list[Example]:
    """Every statement of the ```sql blocks and every command line of the ```bash blocks."""
    examples = []
    for block in regex.finditer(r"^```(sql|bash)\n(.*?)^```", readme, flags=regex.M | regex.S):
        language, body = block[1], block[2]
        first_line = readme.count("\n", 0, block.start(2)) + 1
        if language == "bash":
            examples += [Example("bash", first_line + offset, text) for offset, text in bash_commands(body)]
        else:
            examples += [Example("sql", first_line + offset, text) for offset, text in sql_statements(body)]
    return examples


def bash_commands(body: str) -> list[tuple[int, str]]:
    """(line offset in the block, command) for each command: a line, or several while a quote is open."""
    commands, pending, start = [], [], 0
    for offset, line in enumerate(body.splitlines()):
        if not pending:
            start = offset
        pending.append(line)
        try:
            tokens = shlex.split("\n".join(pending), comments=True)
        except ValueError:  # an open quote: the command goes on on the next line
            continue
        if tokens:
            commands.append((start, "\n".join(pending).strip()))
        pending = []
    assert not pending, f"bash example with an open quote: {pending!r}"
    return commands


def shell_tokens(command: str) -> list[str]:
    """The command's words, with the shell's operators (| > < ; &) as words of their own."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|&;<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def sql_statements(body: str) -> list[tuple[int, str]]:
    """(line offset in the block, statement) for each ';'-terminated statement, comments kept."""
    statements, start, lines = [], 0, body.splitlines()
    for number, line in enumerate(lines):
        if line.rstrip().endswith(";"):
            chunk = lines[start:number + 1]
            code = [i for i, text in enumerate(chunk) if text.strip() and not text.strip().startswith("--")]
            statements.append((start + code[0], "\n".join(chunk)))
            start = number + 1
    leftover = "\n".join(lines[start:]).strip()
    assert not leftover, f"SQL example without a closing ';': {leftover!r}"
    return statements


EXAMPLES = readme_examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples_of_both_kinds():
    languages = [example.language for example in EXAMPLES]
    assert languages.count("sql") >= 15 and languages.count("bash") >= 20


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A working directory laid out like the repository's: data/raw/ holds the sample, and the
    hand-written notices that make a repeal chain (忻政发〔2018〕35号 → 〔2024〕13号 → 〔2025〕2号)
    for the examples on repeals."""
    work = tmp_path_factory.mktemp("readme")
    (work / "data" / "raw").mkdir(parents=True)
    for source in (SAMPLE_TXT, *sorted((FIXTURES / "handwritten").glob("*.txt"))):
        shutil.copy(source, work / "data" / "raw" / source.name)
    return work


@pytest.fixture(scope="module")
def db(workdir) -> Path:
    path = workdir / "test-warehouse.duckdb"
    result = CliRunner().invoke(app, [
        "ingest", str(workdir / "data" / "raw"), "--direct", "--db", str(path), "--parsed-dir", str(workdir / "data" / "parsed"),
    ])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.language == "sql"], ids=lambda e: e.id)
def test_sql_example_runs(db, example):
    con = warehouse.connect(db, read_only=True)
    try:
        rows = con.execute(example.text).fetchall()
    finally:
        con.close()
    if any(piece in example.text for piece in EMPTY_ON_SAMPLE):
        assert rows == [], "listed as empty on the sample but returns rows: take it off EMPTY_ON_SAMPLE"
    else:
        assert rows, f"README.md line {example.line}: no rows on the sample"


def not_run_reason(line: str) -> str | None:
    return next((reason for start, reason in NOT_RUN.items() if line.startswith(start)), None)


# Programs a runnable line may use besides `gazette`: to write an input file, or to feed stdin.
SHELL_HELPERS = {"echo", "printf", "cat"}
SHELL_OPERATORS = {"|", ">", ">>", "<", ";", "&", "&&", "||"}


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.language == "bash"], ids=lambda e: e.id)
def test_bash_example_runs(db, workdir, example, monkeypatch):
    """Run in README order: a line may use a file an earlier line of its block wrote (queries.sql)."""
    reason = not_run_reason(example.text)
    if reason:
        pytest.skip(f"README.md line {example.line} is not run: {reason}")
    tokens = [PATH_REWRITES.get(token, token) for token in shell_tokens(example.text)]
    monkeypatch.chdir(workdir)
    at = next((i for i, token in enumerate(tokens) if token in GAZETTE), None)
    if at is not None:
        stdin = None
        if at:  # `producer | gazette …`: the producer's output is gazette's stdin
            assert tokens[at - 1] == "|" and tokens[0] in SHELL_HELPERS, f"unsupported shell form: {example.text}"
            stdin = run_shell(tokens[:at - 1], workdir).stdout
        args = tokens[at + 1:]
        assert not SHELL_OPERATORS & set(args), f"unsupported shell form after gazette: {example.text}"
        run_gazette(args, db, monkeypatch, stdin)
    elif tokens[:2] == ["python", "tests/fixtures/make_bad_files.py"]:
        subprocess.run([sys.executable, str(REPO / tokens[1]), tokens[2]], check=True, capture_output=True, timeout=300)
        assert any((workdir / tokens[2]).iterdir())
    elif tokens[0] in SHELL_HELPERS and not {"|", ";", "&", "&&", "||"} & set(tokens):
        run_shell(tokens, workdir)
    else:
        pytest.fail(f"README.md line {example.line} is neither run by this test nor listed in NOT_RUN: {example.text}")


def run_shell(tokens: list[str], workdir: Path) -> subprocess.CompletedProcess:
    """echo/printf/cat, with a redirection into the working directory, through bash."""
    command = " ".join(token if token in SHELL_OPERATORS else shlex.quote(token) for token in tokens)
    return subprocess.run(["bash", "-c", command], cwd=workdir, check=True, capture_output=True, text=True, timeout=60)


def run_gazette(args: list[str], db: Path, monkeypatch, stdin: str | None = None) -> None:
    monkeypatch.setenv("GAZETTE_DIRECT", "1")
    if "--db" not in args:  # before a `--`, after which nothing is read as an option
        at = args.index("--") if "--" in args else len(args)
        args = [*args[:at], "--db", str(db), *args[at:]]
    result = CliRunner().invoke(app, args, input=stdin)
    assert result.exit_code == 0, f"gazette {shlex.join(args)}\n{result.output}"
    assert result.stdout.strip(), f"gazette {shlex.join(args)} printed nothing\n{result.stderr}"
    if "--out" in args:
        assert Path(args[args.index("--out") + 1]).exists()

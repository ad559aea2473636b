"""Starts the action server and the Rasa server on free ports, on a private sample store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
STARTUP_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(check, what: str, processes: list[subprocess.Popen], logs: list[Path]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        for proc, log in zip(processes, logs, strict=True):
            if proc.poll() is not None:
                raise RuntimeError(f"{what}: a server exited early:\n{log.read_text()[-3000:]}")
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    tails = "\n".join(log.read_text()[-2000:] for log in logs)
    raise RuntimeError(f"{what} not ready after {STARTUP_SECONDS} s:\n{tails}")


class Bot:
    """A REST-channel client for one running Rasa server."""

    def __init__(self, url: str) -> None:
        self.url = url

    def say(self, sender: str, message: str) -> list[dict]:
        """Send one message as `sender`; the bot's messages in order."""
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                                 timeout=60)
        response.raise_for_status()
        return response.json()

    def parse(self, text: str) -> dict:
        """POST /model/parse."""
        response = requests.post(f"{self.url}/model/parse", json={"text": text}, timeout=60)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """Both servers on a fresh copy of the sample store; stopped after the session."""
    models = sorted((ROOT / "models").glob("*.tar.gz"))
    if not models:
        pytest.fail("no trained model in models/: run `make train` first (make test does)")
    work = tmp_path_factory.mktemp("e2e")
    rasa_port, actions_port = _free_port(), _free_port()
    env = dict(os.environ)
    env.update(STORE_DATABASE_URL=f"sqlite:///{work / 'store.db'}", RASA_TELEMETRY_ENABLED="false")
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{work / "tracker.db"}"\n')
    subprocess.run([sys.executable, "-m", "store.cli", "init"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    logs = [work / "actions.log", work / "rasa.log"]
    commands = [
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
        [str(VENV_BIN / "rasa"), "run", "--enable-api", "-i", "127.0.0.1", "--port", str(rasa_port),
         "--model", str(models[-1]), "--endpoints", str(endpoints)],
    ]
    processes = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
                 for cmd, log in zip(commands, logs, strict=True)]
    try:
        url = f"http://127.0.0.1:{rasa_port}"
        _wait_until(lambda: requests.get(f"http://127.0.0.1:{actions_port}/health", timeout=2).ok,
                    "action server", processes, logs)
        _wait_until(lambda: requests.get(f"{url}/status", timeout=2).json().get("model_file"),
                    "rasa server", processes, logs)
        yield Bot(url)
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

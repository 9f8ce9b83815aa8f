"""`indgang bot` and `indgang chat` as processes: clear messages, no token in logs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from knowledge.settings import Settings
from tests.conftest import free_port
from tests.telegram_api import FakeBotApi


def _env(settings: Settings, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INDGANG_")}
    env.update(INDGANG_STORE_DIR=str(settings.resolved_store_dir),
               INDGANG_DATA_DIR=str(tmp_path / "data"), **extra)
    return env


def _indgang(*args: str, env: dict[str, str], stdin: str | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ingest", *args], env=env, input=stdin,
                          stdin=None if stdin is not None else subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def test_missing_token_is_a_clear_message(corpus_settings: Settings, tmp_path: Path) -> None:
    result = _indgang("bot", env=_env(corpus_settings, tmp_path))
    assert result.returncode == 2
    assert "INDGANG_TELEGRAM_TOKEN er ikke sat" in result.stderr and "Traceback" not in result.stderr


def test_unreachable_api_is_a_clear_message(corpus_settings: Settings, tmp_path: Path) -> None:
    env = _env(corpus_settings, tmp_path, INDGANG_TELEGRAM_TOKEN="1:x",
               INDGANG_TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}/bot")
    result = _indgang("bot", env=env)
    assert result.returncode == 2
    assert "kan ikke nås" in result.stderr and "Traceback" not in result.stderr


def test_bot_process_answers_and_never_logs_the_token(corpus_settings: Settings,
                                                      tmp_path: Path) -> None:
    with FakeBotApi() as api:
        # As a .env file written on Windows gives it: the line end is not part of the token.
        env = _env(corpus_settings, tmp_path, INDGANG_TELEGRAM_TOKEN=f"{api.token}\r\n",
                   INDGANG_TELEGRAM_API_URL=api.base_url)
        process = subprocess.Popen([sys.executable, "-m", "ingest", "-vv", "bot"], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            api.push_message(4004, "hvornår er fristen for paragraf 18")
            api.wait_for_messages_sync(1, chat_id=4004, timeout=90)
            assert "1. marts" in api.sent_messages(4004)[0]["text"]
        finally:
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err[-2000:]
    assert "bot ready" in err and " DEBUG " in err  # debug logging was on
    assert api.token not in err and api.token.split(":")[1] not in err
    assert "update_id" not in err and "getUpdates" not in err  # no raw updates either


def test_chat_answers_piped_questions_and_ends_at_end_of_input(corpus_settings: Settings,
                                                                tmp_path: Path) -> None:
    env = {**_env(corpus_settings, tmp_path), "INDGANG_STORE_DIR": str(tmp_path / "intet")}
    store = ("--store", str(corpus_settings.resolved_store_dir))
    too_long = "Vi er en lille forening. " * 60 + "Hvornår er fristen for paragraf 18?"
    result = _indgang("chat", *store, env=env,
                      stdin="hvornår er fristen for paragraf 18\nog hvor meget kan man søge?\n"
                      f"/kontakt\n/fristen\n{too_long}\ntak!\n/glem\nog hvad er fristen?\n")
    assert result.returncode == 0, result.stderr
    # The terminal's help: no buttons to press there. A long question is sent back.
    unknown = result.stdout.split("Kommandoen /fristen kender jeg ikke")[1].split("meget langt")
    assert len(unknown) == 2 and "/stop" in unknown[0] and "📄" not in unknown[0]
    assert "Selv tak!" in unknown[1]
    assert "1. marts" in result.stdout and "75.000 kr" in result.stdout
    assert "indgang@eksempel-kommune.dk" in result.stdout
    # After /glem a follow-up has no topic to lean on.
    assert "ikke finde" in result.stdout.split("glemt vores samtale")[-1]
    started = time.monotonic()
    closed = _indgang("chat", *store, env=env)  # no terminal, standard input closed
    assert closed.returncode == 0 and time.monotonic() - started < 60


def test_chat_reads_a_question_typed_in_latin_1(corpus_settings: Settings,
                                                tmp_path: Path) -> None:
    # A terminal not set to UTF-8: the question is read as meant, not a traceback.
    question = "hvor meget kan man søge fra paragraf 18 puljen\n".encode("latin-1")
    result = subprocess.run([sys.executable, "-m", "ingest", "chat"], input=question,
                            env=_env(corpus_settings, tmp_path), capture_output=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert "75.000 kr" in result.stdout.decode()


def test_webhook_mode_answers_updates_posted_with_the_secret(corpus_settings: Settings,
                                                             tmp_path: Path) -> None:
    import json
    import urllib.error
    import urllib.request

    port = free_port()
    url = f"http://127.0.0.1:{port}/indgang-hook"
    with FakeBotApi() as api:
        env = _env(corpus_settings, tmp_path, INDGANG_TELEGRAM_TOKEN=api.token,
                   INDGANG_TELEGRAM_API_URL=api.base_url)
        process = subprocess.Popen(
            [sys.executable, "-m", "ingest", "bot", "--webhook", url, "--port", str(port)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 90
            while not api.calls("setWebhook"):
                assert time.monotonic() < deadline and process.poll() is None, "no setWebhook"
                time.sleep(0.2)
            registered = api.calls("setWebhook")[0].params
            assert registered["url"] == url and registered["secret_token"]
            update = {"update_id": 1, "message": {
                "message_id": 1, "date": int(time.time()), "text": "hvornår er fristen for paragraf 18",
                "chat": {"id": 5005, "type": "private"},
                "from": {"id": 5005, "is_bot": False, "first_name": "P"}}}

            def post(secret: str) -> int:
                request = urllib.request.Request(
                    url, data=json.dumps(update).encode(), method="POST",
                    headers={"Content-Type": "application/json",
                             "X-Telegram-Bot-Api-Secret-Token": secret})
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        return int(response.status)
                except urllib.error.HTTPError as error:
                    return error.code

            deadline = time.monotonic() + 30
            while True:  # the webhook server starts right after setWebhook
                try:
                    assert post("wrong") == 403
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            assert post(registered["secret_token"]) == 200
            api.wait_for_messages_sync(1, chat_id=5005, timeout=60)
            assert "1. marts" in api.sent_messages(5005)[0]["text"]
        finally:
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=30)

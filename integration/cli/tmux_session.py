"""A real terminal for the CLI: a tmux pane running bash; `type` sends keys, `screen` reads what shows."""
from __future__ import annotations

import re
import shlex
import subprocess
import time
import uuid


class Tmux:
    def __init__(self, env: dict, width: int = 120, height: int = 40):
        self.socket = f"sbcli-{uuid.uuid4().hex[:8]}"
        self.env = env
        self._tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height),
                   "bash --norc --noprofile")
        self._tmux("set-option", "-g", "status", "off")
        self.run_line("PS1='$ '; clear")
        time.sleep(0.2)

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], env=self.env,
                              capture_output=True, text=True, check=True).stdout

    def type(self, text: str, enter: bool = True):
        self._tmux("send-keys", "-t", "t", "-l", text)
        if enter:
            self._tmux("send-keys", "-t", "t", "Enter")

    def key(self, name: str):
        self._tmux("send-keys", "-t", "t", name)

    def clear(self):
        """Empties the screen and the scrollback, so later reads see only what follows."""
        self.type("clear")
        deadline = time.monotonic() + 5
        while self.screen().strip() not in ("$", "") and time.monotonic() < deadline:
            time.sleep(0.05)
        self._tmux("clear-history", "-t", "t")

    def run_line(self, line: str):
        self.type(line)

    def run(self, argv: list[str]):
        """Runs a command, then prints its exit status as `EXIT=<n>` for `wait_exit`."""
        self.type(" ".join(shlex.quote(a) for a in argv) + "; echo EXIT=$?")

    def screen(self, escapes: bool = False) -> str:
        args = ["capture-pane", "-p", "-t", "t", "-S", "-200"]
        if escapes:
            args.append("-e")
        return self._tmux(*args)

    def wait_for(self, text: str, timeout: float = 20, escapes: bool = False) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(escapes)
            if text.rstrip() in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never showed; screen:\n{screen}")
            time.sleep(0.05)

    def wait_exit(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while True:
            lines = [l.strip() for l in self.screen().splitlines()]
            done = [l for l in lines if re.fullmatch(r"EXIT=\d+", l)]
            if done:
                return int(done[-1][5:])
            if time.monotonic() > deadline:
                raise AssertionError("the command never ended; screen:\n" + "\n".join(lines))
            time.sleep(0.05)

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)

"""A progress bar for the bulk commands: on standard error, and only when it is a terminal."""

import sys
import time


class Progress:
    """Draws ``done / total`` as a bar at most ten times a second; silent when stderr is not a tty."""

    width = 30

    def __init__(self, total=None, *, label="", stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.total = total
        self.label = label
        self.last = 0.0
        self.started = time.monotonic()

    def update(self, done, *, force=False):
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        if self.total:
            filled = int(self.width * min(done, self.total) / self.total)
            bar = "#" * filled + "-" * (self.width - filled)
            text = f"\r{self.label} [{bar}] {done:,}/{self.total:,} ({rate:,.0f}/s)"
        else:
            text = f"\r{self.label} {done:,} ({rate:,.0f}/s)"
        self.stream.write(text)
        self.stream.flush()

    def finish(self, done):
        if self.enabled:
            self.update(done, force=True)
            self.stream.write("\n")
            self.stream.flush()

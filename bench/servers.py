"""Start gunicorn servers on loopback ports for a benchmark run."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with "
                               f"status {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port,
                                                    timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not start in "
                       f"{timeout} seconds")


@contextlib.contextmanager
def gunicorn(target, env, workers=2, log_path=os.devnull):
    """Serve a WSGI target (module:attribute); yield its base URL."""
    port = free_port()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers),
             "-b", f"127.0.0.1:{port}", target],
            cwd=ROOT, env=dict(os.environ, **env), stdout=log,
            stderr=subprocess.STDOUT)
        try:
            wait_until_serving(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=30)

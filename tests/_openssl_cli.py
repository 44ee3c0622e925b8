"""The openssl command line, the suite's reference oracle: one way to find it, check its version,
run it with a time limit, and read what it says.

Every test that runs ``openssl`` goes through here, so every call has a time limit, none goes
through an HTTP proxy, and a failure names the command and shows what openssl printed. (Not
``_openssl.py``: pyca cryptography puts a module named ``_openssl`` in ``sys.modules``.)
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

#: Seconds one command may take: far above what any takes, even on a loaded machine; a command
#: that hangs fails its test instead of the whole run.
TIMEOUT = 60.0
#: The oldest openssl the suite's commands work with (-no-CAstore and the 3.0 error lines).
MINIMUM_VERSION = (3, 0)

# A running responder: its start, one HTTP exchange, its shutdown.
START_TIMEOUT = 10.0
HTTP_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


@functools.cache
def binary() -> str:
    """The path of the openssl command line; .ci/run installs it where it is missing."""
    path = shutil.which("openssl")
    if path is None:
        raise RuntimeError("the openssl command line is required for the interop tests (it is not on PATH)")
    return path


@functools.cache
def version_text() -> str:
    """What ``openssl version`` prints, e.g. ``OpenSSL 3.0.13 30 Jan 2024 (Library: ...)``."""
    return check("version").strip()


def version() -> Tuple[int, int]:
    """(major, minor) of the openssl command line."""
    m = re.match(r"OpenSSL (\d+)\.(\d+)", version_text())
    if m is None:
        raise RuntimeError(f"not OpenSSL: `openssl version` printed {version_text()!r}")
    return int(m.group(1)), int(m.group(2))


def require() -> str:
    """:func:`binary`, once its version is known to be recent enough for the suite."""
    path = binary()
    if version() < MINIMUM_VERSION:
        raise RuntimeError(
            f"the tests need OpenSSL {'.'.join(map(str, MINIMUM_VERSION))} or later; {path} is {version_text()!r}"
        )
    return path


def _without_proxies(env: Optional[Mapping[str, str]]) -> Dict[str, str]:
    # openssl ocsp -url honours http_proxy: the servers the tests ask are all on loopback.
    return {k: v for k, v in (os.environ if env is None else env).items() if not k.lower().endswith("_proxy")}


def run(args: Sequence[object], *, cwd: Union[str, Path, None] = None, env: Optional[Mapping[str, str]] = None,
        text: bool = True, timeout: float = TIMEOUT) -> Any:
    """Run a command (openssl, or another program an openssl test needs) to completion with a
    time limit; never raises on a non-zero exit (the test judges it). The result is a
    ``subprocess.CompletedProcess``, with str output (bytes with ``text=False``)."""
    argv = [str(a) for a in args]
    try:
        return subprocess.run(argv, cwd=None if cwd is None else str(cwd), env=_without_proxies(env),
                              capture_output=True, text=text, check=False, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"`{' '.join(argv)}` did not finish within {timeout:g} s") from exc


def openssl(*args: object, cwd: Union[str, Path, None] = None, text: bool = True) -> Any:
    """``openssl ARGS``, as :func:`run` does it."""
    return run([binary(), *args], cwd=cwd, text=text)


def ok(result: Any) -> str:
    """Everything a command printed (stdout, then stderr), once it is known to have exited 0."""
    output = str(result.stdout) + str(result.stderr)
    assert result.returncode == 0, f"`{' '.join(map(str, result.args))}` exited {result.returncode}:\n{output}"
    return output


def check(*args: object, cwd: Union[str, Path, None] = None) -> str:
    """``openssl ARGS``, which must exit 0; returns what it printed (stdout, then stderr)."""
    return ok(openssl(*args, cwd=cwd))


def check_bytes(*args: object, cwd: Union[str, Path, None] = None) -> bytes:
    """``openssl ARGS``, which must exit 0; returns its stdout as bytes (DER, PEM)."""
    result = openssl(*args, cwd=cwd, text=False)
    assert result.returncode == 0, (
        f"`openssl {' '.join(map(str, args))}` exited {result.returncode}:\n"
        f"{result.stderr.decode(errors='replace')}"
    )
    return bytes(result.stdout)


def req_text(path: Path, *extra: object) -> Any:
    """``openssl ocsp -reqin PATH -req_text``: the request as openssl prints it."""
    return openssl("ocsp", "-reqin", path, "-req_text", *extra)


def resp_text(path: Path, *extra: object) -> Any:
    """``openssl ocsp -respin PATH -resp_text -noverify``: the response as openssl prints it."""
    return openssl("ocsp", "-respin", path, "-resp_text", "-noverify", *extra)


class OpenSSL:
    """The openssl command line in one directory; every call must succeed."""

    def __init__(self, binary: str, directory: Path) -> None:
        self.binary = binary
        self.dir = directory

    def __call__(self, *args: object) -> str:
        result = run([self.binary, *args], cwd=self.dir)
        output = str(result.stdout) + str(result.stderr)
        if result.returncode != 0:
            raise AssertionError(f"openssl {' '.join(map(str, args))} failed ({result.returncode}):\n{output}")
        return output

    def path(self, name: str) -> Path:
        return self.dir / name


class OpenSSLResponder:
    """``openssl ocsp -index ... -port 0 ... -nrequest N`` in a subprocess.

    Port 0 lets the kernel pick a free port; openssl prints ``ACCEPT <addr>:<port>`` once the
    socket listens, so there is no window in which another process can take the port.
    """

    def __init__(self, openssl: str, workdir: Path, args: Sequence[str]) -> None:
        self.args = [openssl, "ocsp", "-port", "0", *[str(a) for a in args]]
        self.workdir = workdir
        self._out_path = workdir / "responder.stdout"
        self._err_path = workdir / "responder.stderr"
        self._out = self._out_path.open("wb")
        self._err = self._err_path.open("wb")
        self.process: Optional[subprocess.Popen[bytes]] = None
        self.hosts: Tuple[str, ...] = ()
        self.port = 0
        try:
            self.process = subprocess.Popen(self.args, stdout=self._out, stderr=self._err, cwd=str(workdir))
            self._wait_for_accept()
        except BaseException:
            self.stop()
            raise

    def _wait_for_accept(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            text = self._out_path.read_text(errors="replace")
            m = re.search(r"ACCEPT (\S+):(\d+)", text)
            if m:
                address, self.port = m.group(1), int(m.group(2))
                # openssl binds the wildcard address ([::] dual stack, or 0.0.0.0).
                self.hosts = ("127.0.0.1", "[::1]") if address.startswith("[") else ("127.0.0.1",)
                return
            if self.process.poll() is not None:
                raise AssertionError(f"openssl ocsp exited with {self.process.returncode}: {self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"openssl ocsp did not accept within {START_TIMEOUT}s: {self.output()}")
            time.sleep(0.01)

    def output(self) -> str:
        """What the responder printed so far (stdout, then stderr)."""
        for fh in (self._out, self._err):
            if not fh.closed:
                fh.flush()
        return self._out_path.read_text(errors="replace") + self._err_path.read_text(errors="replace")

    def _open(self, path: str, data: Optional[bytes], headers: Dict[str, str]) -> Tuple[int, Dict[str, str], bytes]:
        last: Optional[BaseException] = None
        for host in self.hosts:
            url = f"http://{host}:{self.port}{path}"
            request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
            try:
                with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as reply:
                    return reply.status, dict(reply.headers.items()), reply.read()
            except urllib.error.HTTPError as exc:
                with exc:
                    raise AssertionError(f"HTTP {exc.code} from openssl ocsp: {self.output()}") from None
            except urllib.error.URLError as exc:
                if not isinstance(exc.reason, ConnectionRefusedError):
                    raise
                last = exc  # e.g. no IPv4 on a v6-only wildcard: try the next loopback address
        raise AssertionError(f"cannot connect to openssl ocsp on port {self.port}: {last}")

    def post(self, der: bytes) -> Tuple[int, Dict[str, str], bytes]:
        """POST a DER request (RFC 6960 A.1)."""
        return self._open("/", der, {"Content-Type": "application/ocsp-request"})

    def get(self, path: str) -> Tuple[int, Dict[str, str], bytes]:
        """GET ``/<url-encoded base64 of the DER request>`` (RFC 6960 A.1)."""
        return self._open(path, None, {})

    def wait(self, timeout: float = STOP_TIMEOUT) -> int:
        """Wait for the responder to exit by itself (after -nrequest requests)."""
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """Terminate the process if it still runs, reap it, and close the log files."""
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
        for fh in (self._out, self._err):
            if not fh.closed:
                fh.close()

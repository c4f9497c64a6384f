"""Workshop load bench: N learners at once on one server, through Streamlit's own websocket.

Run from the repository root (nothing to install beyond requirements-dev.txt)::

    python bench/bench_load.py 30                    # 30 learners, default settings
    python bench/bench_load.py 30 --distinct-seeds   # learner i uses seed i on every page

Starts ``streamlit run streamlit_app.py`` on 127.0.0.1 and a free port and connects N
learners to ``/_stcore/stream`` with the protocol the browser speaks (protobuf ``BackMsg``
out, ``ForwardMsg`` in). Each learner is one Streamlit session that walks the learning path
(every page of :data:`PATH`, in order): it opens the page, then moves that page's sliders one
step and presses its Train button, waiting a seeded random think time (default 0.5-3 s)
between actions. A rerun's time is from sending the change to the server's
``script_finished``; a change with no finished rerun within :data:`RERUN_TIMEOUT_S` counts
as lost, split by cause: no answer in time, or the connection closed. A widget drawn inside
an ``st.fragment`` is moved as the browser moves it: the rerun request names the fragment,
and the run ends with "fragment run finished". A run that ends "finished early for rerun"
(Streamlit interrupts a running script when the same session asks for another run, and the
new run starts from the newest widget states, so nothing the learner set is dropped) is
counted apart; the learner keeps waiting for the run that finishes. It prints the median
and p95 rerun time per page (opens and moves apart), lost changes, interrupted runs,
exceptions shown by the app, errors of the bench's own learners, and the server's peak
resident memory (``VmHWM``). Before the learners it times the first render of Home on the
fresh server (cold, then warm) against Streamlit's own ``streamlit hello`` app, started and
timed the same way.

Bounded in time: each rerun waits at most :data:`RERUN_TIMEOUT_S`, each learner at most
``--learner-timeout`` seconds for the whole path (a learner cut off there has its remaining
changes counted as not made), and the run as a whole ends after ``--deadline`` seconds.

Not a test: nothing is asserted; figures depend on the machine (quote medians and ratios).
Only loopback addresses are used, every wait is bounded, and the servers are stopped at the
end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
RERUN_TIMEOUT_S = 120.0
#: script_finished codes (ForwardMsg.ScriptFinishedStatus).
FINISHED, FINISHED_EARLY_FOR_RERUN, FRAGMENT_FINISHED = 0, 2, 3
#: The learning path: page URL, the sliders a learner moves there (by key) and its button.
PATH = (
    ("", (), None),
    ("indentation-curve", ("P_max_mN", "hold_s"), None),
    ("what-a-model-sees", ("sees_components",), None),
    ("property-maps", ("map_P_max_mN",), None),
    ("find-phases", ("cluster_k",), None),
    ("classify-curves", ("cls_folds",), "cls_train"),
    ("predict-properties", ("prop_folds",), "prop_train"),
    ("find-bad-curves", ("bad_share",), None),
    ("why-did-the-model-decide", ("xp_kernel",), None),
    ("is-it-physical", ("xp_tolerance",), None),
    ("my-own-data", ("fit_range",), None),
)
#: The URL parameter of each page's seed widget (Home and My own data have none).
SEED_PARAMS = {
    "indentation-curve": "seed", "what-a-model-sees": "sees_seed",
    "property-maps": "map_seed", "find-phases": "map_seed", "classify-curves": "cls_seed",
    "predict-properties": "prop_seed", "find-bad-curves": "bad_seed",
    "why-did-the-model-decide": "xp_seed", "is-it-physical": "xp_seed",
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command: list[str], port: int) -> subprocess.Popen:
    """Start a Streamlit server on 127.0.0.1:``port`` and wait (≤ 60 s) for its health."""
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", *command, "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"streamlit {command} did not answer on port {port}")


def memory_mb(pid: int, field_name: str = "VmHWM") -> float:
    """A memory figure of a process [MB] from /proc (VmHWM: peak resident memory)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name):
            return int(line.split()[1]) / 1000
    return float("nan")


@dataclass
class Session:
    """One learner's Streamlit session over the websocket."""

    ws: object
    widgets: dict = field(default_factory=dict)  # key -> (widget id, slider proto)
    fragments: dict = field(default_factory=dict)  # key -> id of the fragment drawing it
    exceptions: list = field(default_factory=list)  # (page, message) of each one shown
    outcomes: Counter = field(default_factory=Counter)  # how reruns ended
    page: str = ""

    async def rerun(
        self, page: str, query: str = "", state=None, fragment: str = ""
    ) -> float | str:
        """Ask for a rerun of ``page`` (of its ``fragment`` only, if given) with ``state``
        (WidgetState list); its seconds, or why none finished: "timeout" (none within
        :data:`RERUN_TIMEOUT_S`) or "closed" (the connection closed)."""
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        if fragment:
            msg.rerun_script.fragment_id = fragment
        for s in state or ():
            msg.rerun_script.widget_states.widgets.append(s)
        self.page = page
        t0 = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
            async with asyncio.timeout(RERUN_TIMEOUT_S):
                while True:
                    reply = ForwardMsg()
                    reply.ParseFromString(await self.ws.recv())
                    kind = reply.WhichOneof("type")
                    if kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                        self._note(reply.delta.new_element, reply.delta.fragment_id)
                    elif kind == "script_finished":
                        status = reply.script_finished
                        self.outcomes[status] += 1
                        if status in (FINISHED, FRAGMENT_FINISHED):
                            return time.perf_counter() - t0
        except TimeoutError:
            self.outcomes["timeout"] += 1
            return "timeout"
        except websockets.ConnectionClosed:
            self.outcomes["closed"] += 1
            return "closed"

    def _note(self, element, fragment_id: str) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append((self.page, element.exception.message[:200]))
        elif kind in ("slider", "button"):
            widget = getattr(element, kind)
            key = widget.id.rsplit("-", 1)[-1]
            self.widgets[key] = (widget.id, widget)
            self.fragments[key] = fragment_id


def moved(widget_id: str, slider) -> object:
    """The WidgetState of ``slider`` moved one step up from its default (down at the top);
    a select_slider moves to the next option."""
    state = BackMsg().rerun_script.widget_states.widgets.add()
    state.id = widget_id
    if slider.options:  # a select_slider: the next option's label (string_array_value)
        index = int(slider.default[-1])
        index = index + 1 if index + 1 < len(slider.options) else index - 1
        state.string_array_value.data.append(slider.options[index])
        return state
    values = list(slider.default)
    step = slider.step or (slider.max - slider.min) / 10
    values[-1] = values[-1] + step if values[-1] + step <= slider.max else values[-1] - step
    state.double_array_value.data.extend(values)
    return state


def pressed(widget_id: str) -> object:
    state = BackMsg().rerun_script.widget_states.widgets.add()
    state.id = widget_id
    state.trigger_value = True
    return state


async def learner(i: int, port: int, seeds: bool, think: tuple[float, float], out: dict,
                  path: tuple = PATH) -> None:  # fmt: skip
    """Walk ``path`` as learner ``i``; append (page, what, seconds or why lost) to ``out``."""
    rng = random.Random(i)
    uri = f"ws://127.0.0.1:{port}/_stcore/stream"
    # No client keepalive: under 30 learners the server answered no ping for 20 s (its event
    # loop starved by the script threads) and the client closed with 1011; a browser would
    # then reconnect and its rerun be lost. Here a closed connection ends the learner and its
    # remaining changes count as lost.
    async with websockets.connect(
        uri, subprotocols=["streamlit"], origin=f"http://127.0.0.1:{port}", max_size=None,
        ping_interval=None,
    ) as ws:  # fmt: skip
        session = Session(ws)
        out["sessions"].append(session)
        for page, sliders, button in path:
            query = f"{SEED_PARAMS[page]}={i}" if seeds and page in SEED_PARAMS else ""
            out["runs"].append((page, "open", await session.rerun(page, query)))
            state = []
            for key in sliders:
                await asyncio.sleep(rng.uniform(*think))
                if key not in session.widgets:
                    out["missing"].add(f"{page}:{key}")
                    continue
                state = [s for s in state if s.id != session.widgets[key][0]]
                state.append(moved(*session.widgets[key]))
                fragment = session.fragments.get(key, "")
                out["runs"].append(
                    (page, "move", await session.rerun(page, query, state, fragment))
                )
            if button and button in session.widgets:
                await asyncio.sleep(rng.uniform(*think))
                click = [*state, pressed(session.widgets[button][0])]
                out["runs"].append((page, "train", await session.rerun(page, query, click)))
            await asyncio.sleep(rng.uniform(*think))


async def first_render(port: int, page: str = "") -> float:
    """Seconds from connecting to the first finished run of ``page``."""
    t0 = time.perf_counter()
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
        origin=f"http://127.0.0.1:{port}", max_size=None,
    ) as ws:  # fmt: skip
        await Session(ws).rerun(page)
    return time.perf_counter() - t0


def time_first_renders() -> None:
    """Home cold and warm on a fresh IndentLab server, against ``streamlit hello``."""
    figures = {}
    for name, command in (("IndentLab Home", ["run", "streamlit_app.py"]), ("hello", ["hello"])):
        port = free_port()
        server = start(command, port)
        try:
            cold = asyncio.run(first_render(port))
            warm = statistics.median(asyncio.run(first_render(port)) for _ in range(3))
        finally:
            server.terminate()
            server.wait(timeout=30)
        figures[name] = (cold, warm)
        print(f"first render, {name:15s}: cold {cold:5.2f} s, warm {warm:5.2f} s", flush=True)
    home, hello = figures["IndentLab Home"], figures["hello"]
    print(f"  Home / hello: cold {home[0] / hello[0]:.1f}x, warm {home[1] / hello[1]:.1f}x")


def report(out: dict, wall_s: float, peak_mb: float, n: int, seeds: bool, path: tuple) -> None:
    exceptions = [e for session in out["sessions"] for e in session.exceptions]
    outcomes = sum((session.outcomes for session in out["sessions"]), Counter())
    lost = [s for *_, s in out["runs"] if isinstance(s, str)]
    planned = n * sum(1 + len(sliders) + (button is not None) for _, sliders, button in path)
    print(f"\n{n} learners, {'distinct seeds' if seeds else 'default settings'}: "
          f"{wall_s:.0f} s, server peak {peak_mb:.0f} MB, exceptions {len(exceptions)}, "
          f"lost changes {len(lost)} ({Counter(lost)['timeout']} no answer in "
          f"{RERUN_TIMEOUT_S:.0f} s, {Counter(lost)['closed']} connection closed)")  # fmt: skip
    print(f"changes made {len(out['runs'])} of {planned} planned; runs finished "
          f"{outcomes[FINISHED]}, fragment runs finished {outcomes[FRAGMENT_FINISHED]}, "
          f"interrupted by a newer rerun {outcomes[FINISHED_EARLY_FOR_RERUN]}; learners cut "
          f"off by their timeout {out['cut_off']}, bench errors {len(out['errors'])}")  # fmt: skip
    print(f"{'page':26s} {'opens':>5s} {'p50':>6s} {'p95':>6s}  {'moves':>5s} {'p50':>6s} "
          f"{'p95':>6s}  lost")  # fmt: skip
    everything = []
    done = [(p, w, s) for p, w, s in out["runs"] if not isinstance(s, str)]
    for page, *_ in path:
        opens = [s for p, w, s in done if p == page and w == "open"]
        moves = [s for p, w, s in done if p == page and w != "open"]
        lost = sum(isinstance(s, str) for p, _, s in out["runs"] if p == page)
        everything += moves
        q = [np.percentile(x, (50, 95)) if x else (np.nan, np.nan) for x in (opens, moves)]
        print(f"{page or 'home':26s} {len(opens):5d} {q[0][0]:6.2f} {q[0][1]:6.2f}  "
              f"{len(moves):5d} {q[1][0]:6.2f} {q[1][1]:6.2f}  {lost}")  # fmt: skip
    if everything:
        p50, p95 = np.percentile(everything, (50, 95))
        print(f"{'all moves and trains':26s} {'':5s} {'':6s} {'':6s}  {len(everything):5d} "
              f"{p50:6.2f} {p95:6.2f}")  # fmt: skip
    for (page, message), count in sorted(Counter(exceptions).items()):
        print(f"exception on {page or 'home'} ({count}x): {message!r}")
    for error, count in sorted(Counter(out["errors"]).items()):
        print(f"bench error ({count}x): {error}")
    if out["missing"]:
        print("widgets not found:", ", ".join(sorted(out["missing"])))


async def bounded_learner(i: int, port: int, seeds: bool, think, out: dict, path: tuple,
                          timeout_s: float) -> None:  # fmt: skip
    """One learner within ``timeout_s``; a learner cut off or failing is counted, and never
    stops the others."""
    try:
        async with asyncio.timeout(timeout_s):
            await learner(i, port, seeds, think, out, path)
    except TimeoutError:
        out["cut_off"] += 1
    except Exception as err:  # noqa: BLE001 - counted and printed, the bench goes on
        out["errors"].append(f"{type(err).__name__}: {str(err)[:120]}")


async def workshop(n: int, port: int, seeds: bool, think: tuple[float, float], path: tuple,
                   learner_timeout_s: float, deadline_s: float) -> dict:  # fmt: skip
    out = {"runs": [], "sessions": [], "errors": [], "missing": set(), "cut_off": 0}
    tasks = []
    try:
        async with asyncio.timeout(deadline_s):
            for i in range(n):
                tasks.append(asyncio.create_task(
                    bounded_learner(i + 1, port, seeds, think, out, path, learner_timeout_s)
                ))  # fmt: skip
                await asyncio.sleep(0.2)  # learners arrive within seconds, not at one instant
            await asyncio.gather(*tasks)
    except TimeoutError:
        out["errors"].append(f"deadline of {deadline_s:.0f} s reached: the rest cancelled")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=30, help="number of learners")
    parser.add_argument("--distinct-seeds", action="store_true", help="seed i for learner i")
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 3.0), metavar=("LO", "HI"))
    parser.add_argument("--skip-first-render", action="store_true")
    parser.add_argument("--pages", nargs="+", metavar="PAGE",
                        help="only these pages of the path (URL names; home is '')")  # fmt: skip
    parser.add_argument("--learner-timeout", type=float, default=900.0, metavar="S",
                        help="most seconds one learner may take for the path")  # fmt: skip
    parser.add_argument("--deadline", type=float, default=1200.0, metavar="S",
                        help="most seconds for all learners")  # fmt: skip
    args = parser.parse_args()
    path = tuple(step for step in PATH if args.pages is None or step[0] in args.pages)
    if not args.skip_first_render:
        time_first_renders()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    port = free_port()
    server = start(["run", "streamlit_app.py"], port)
    try:
        t0 = time.perf_counter()
        out = asyncio.run(workshop(args.n, port, args.distinct_seeds, tuple(args.think), path,
                                   args.learner_timeout, args.deadline))  # fmt: skip
        wall = time.perf_counter() - t0
        report(out, wall, memory_mb(server.pid), args.n, args.distinct_seeds, path)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

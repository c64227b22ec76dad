"""`clarifai-local`: serve, stop, bootstrap, import, reset, migrate, revision,
scaffold.

The commands that act on a database use the running server's (see
_command_database) and say which on stderr."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shlex
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from server.config import Settings
from server.ids import check_id
from server.logs import configure
from server.status import ApiError

if TYPE_CHECKING:
    from storage.db import Database


def _credentials_text(info: dict[str, str], grpc_port: int) -> str:
    return f"""  user_id  {info["user_id"]}
  app_id   {info["app_id"]}
  PAT      {info["pat"]}
  API key  {info["api_key"]}   (app-specific, for app {info["app_id"]})

Point the official Python client at it:

  from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
  from clarifai_grpc.grpc.api import service_pb2, service_pb2_grpc
  stub = service_pb2_grpc.V2Stub(
      ClarifaiChannel.get_insecure_grpc_channel(base="localhost", port={grpc_port}))
  metadata = (("authorization", "Key {info["pat"]}"),)
  print(stub.MyScopes(service_pb2.MyScopesRequest(), metadata=metadata))
"""


def _ready_text(grpc_port: int, rest_port: int, database: str) -> str:
    return (
        f"clarifai-local is ready: gRPC on port {grpc_port}, REST on port {rest_port}, "
        f"database {database}\n"
    )


def _first_run_text(info: dict[str, str], path: Path, grpc_port: int) -> str:
    return f"""
First run: a user, an app, a PAT and an app key were created. They are shown
this once; {path} keeps them (readable by you only).

{_credentials_text(info, grpc_port)}"""


def _later_run_text(saved: dict[str, str] | None, path: Path) -> str:
    if saved is None:
        return f"""
No first-run credentials in {path.parent} work on this database (keys are stored
hashed: no command shows an existing one). A new user with an app, a PAT and
an app key: clarifai-local bootstrap [--json]
"""
    return f"""
The first run's credentials (user {saved["user_id"]}, app {saved["app_id"]}) are in
{path} (readable by you only): cat {shlex.quote(str(path))}
Keys are stored hashed, so no command shows an existing one; a new PAT and
app key for that user: clarifai-local bootstrap --user {saved["user_id"]} [--json]
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="clarifai-local")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve gRPC and REST (bootstraps on first start)")
    serve.add_argument(
        "--workers",
        type=int,
        help="server processes sharing the ports (default: CLARIFAI_LOCAL_WORKERS, "
        "else one per core)",
    )
    boot = sub.add_parser("bootstrap", help="create a user with an app, a PAT and an app key")
    boot.add_argument("--json", action="store_true", help="print one JSON object")
    boot.add_argument("--user", default="", help="the user's id (default: a new one)")
    boot.add_argument("--app", default="", help="the app's id (default: main)")
    _import_parser(sub)
    reset = sub.add_parser("reset", help="empty every table")
    reset.add_argument("--yes", action="store_true", required=True)
    sub.add_parser("migrate", help="apply database migrations")
    stop = sub.add_parser(
        "stop", help="stop the servers running on the data directory, and the embedded database"
    )
    stop.add_argument(
        "--timeout", type=float, default=30, help="seconds to wait for them to finish (30)"
    )
    revision = sub.add_parser(
        "revision", help="write a new migration from the models (for developers)"
    )
    revision.add_argument("-m", "--message", required=True, help="what the migration does")
    scaffold = sub.add_parser(
        "scaffold", help="write the starting files of a new resource family (for developers)"
    )
    scaffold.add_argument("family", help="the family's plural, snake_case: model_versions")
    args = parser.parse_args(argv)
    if args.command == "scaffold":
        _scaffold(args.family)
        return
    if args.command == "bootstrap":
        # A usage error, said before any database is opened.
        for flag, value in (("--user", args.user), ("--app", args.app)):
            try:
                if value:
                    check_id(value, flag)
            except ApiError as err:
                parser.error(err.details)

    settings = Settings()
    if getattr(args, "workers", None) is not None:
        if args.workers < 1:
            parser.error("--workers must be at least 1")
        settings = replace(settings, workers=args.workers)
    configure(settings.log_level if args.command == "serve" else "WARNING")
    COMMANDS[args.command](args, settings)


def _import_parser(sub: argparse._SubParsersAction) -> None:
    # server.importer (grpc, tqdm) is loaded by the command only: `serve`
    # starts without it.
    imp = sub.add_parser(
        "import",
        help="import a folder, an archive, a CSV or a URL into an app (resumable)",
        description="Uploads PATH (a folder is sent as a tar archive) and imports it "
        "with PostInputsUploads, or imports URL (http(s)://, s3://) with "
        "PostInputsDataSources, showing the inputs-add job's progress. Run the same "
        "command again after a crash or Ctrl-C to resume.",
    )
    imp.add_argument("source", metavar="PATH|URL")
    imp.add_argument("--app", required=True, help="the app's id")
    imp.add_argument("--user", default="me", help="the app owner's id (default: me)")
    imp.add_argument("--dataset", default="", help="add the inputs to this dataset")
    imp.add_argument("--pat", default="", help="a PAT or app key (default: CLARIFAI_PAT)")
    imp.add_argument(
        "--address",
        default=os.environ.get("CLARIFAI_LOCAL_ADDRESS", ""),
        help="the server's gRPC host:port (default: CLARIFAI_LOCAL_ADDRESS, else the server "
        "running on the data directory, else 127.0.0.1:18080)",
    )
    imp.add_argument(
        "--part-mib",
        type=int,
        default=8,
        help="upload part size in MiB (default %(default)s)",
    )
    imp.add_argument(
        "--state-dir",
        type=Path,
        help="where resumable imports keep their state (default "
        "$XDG_STATE_HOME/clarifai-local/imports, else ~/.local/state/clarifai-local/imports)",
    )
    imp.add_argument("--restart", action="store_true", help="ignore an earlier run's state")
    imp.add_argument("--quiet", action="store_true", help="no progress bars")


def _say(text: str) -> None:
    print(f"clarifai-local: {text}", file=sys.stderr, flush=True)


def _command_database(settings: Settings) -> tuple[Settings, str]:
    """The database a command acts on: DATABASE_URL when set, else that of
    the server(s) running on the data directory (as `serve` records them),
    else an embedded one started for the command (it stops when the command
    ends, unless a server started meanwhile uses it). Returns the settings
    to open it with (the server's gRPC port too) and where it comes from."""
    from server import state
    from storage import embedded

    servers = state.live(settings.data_dir)
    shown = ", ".join(sorted({state.shown(s.database_url) for s in servers}))
    if settings.database_url:
        if servers and shown != state.shown(settings.database_url):
            return settings, f"DATABASE_URL; the server on {settings.data_dir} uses {shown}"
        return settings, "DATABASE_URL"
    if len({s.database_url for s in servers}) > 1:
        sys.exit(
            f"clarifai-local: the servers running on {settings.data_dir} use different "
            f"databases ({shown}): set DATABASE_URL to the one to act on"
        )
    if servers:
        pids = ", ".join(str(s.pid) for s in servers)
        found = replace(settings, grpc_port=servers[0].grpc_port)
        if not servers[0].embedded:  # else joining the embedded one, as it did
            found = replace(found, database_url=servers[0].database_url)
        return found, f"that of the server running on {settings.data_dir}, pid {pids}"
    pgdata = embedded.pgdata(settings.data_dir)
    if embedded.running(settings.data_dir):
        _say(f"no server is running on {settings.data_dir}: joining the embedded database "
             f"already running under {pgdata}")  # fmt: skip
    else:
        _say(f"no server is running on {settings.data_dir}: starting an embedded database "
             f"under {pgdata} for this command")  # fmt: skip
    return settings, "embedded"


def _open(settings: Settings) -> tuple[Database, Settings]:
    """Open (and migrate) the command's database, saying which it is."""
    from server import state
    from server.main import open_database

    settings, source = _command_database(settings)
    db = open_database(settings)
    _say(f"database {state.shown(db.url)} ({source})")
    return db, settings


def _serve(_args: argparse.Namespace, settings: Settings) -> None:
    from server import supervisor
    from server.serving import PortError, Ready

    if supervisor.count(settings) > 1:
        serve = supervisor.serve  # its workers load the server
    else:
        with supervisor.frozen_imports():
            from server.main import serve

    async def ready(running: Ready) -> None:
        from server import bootstrap, state

        path = settings.data_dir / bootstrap.CREDENTIALS
        text = _ready_text(running.grpc_port, running.rest_port, state.shown(running.db.url))
        if (created := await bootstrap.first_run(running.db, settings.data_dir)) is not None:
            text += _first_run_text(created, path, running.grpc_port)
        else:
            text += _later_run_text(await bootstrap.saved(running.db, settings.data_dir), path)
        print(text, flush=True)

    try:
        asyncio.run(serve(settings, ready))
    except PortError as err:
        sys.exit(f"clarifai-local: {err}")


def _bootstrap(args: argparse.Namespace, settings: Settings) -> None:
    from server import bootstrap

    db, settings = _open(settings)
    info = asyncio.run(bootstrap.create(db, user_id=args.user, app_id=args.app))
    asyncio.run(db.close())
    if args.json:
        print(json.dumps(info))
    else:
        print(f"Created:\n\n{_credentials_text(info, settings.grpc_port)}")


def _reset(_args: argparse.Namespace, settings: Settings) -> None:
    from storage import migrate

    db, _ = _open(settings)
    engine = db.sync_engine()
    migrate.reset(engine)
    engine.dispose()
    print("all tables emptied", file=sys.stderr)


def _migrate(_args: argparse.Namespace, settings: Settings) -> None:
    _open(settings)
    print("database is at the newest migration", file=sys.stderr)


def _stop(args: argparse.Namespace, settings: Settings) -> None:
    """Stop the servers running on the data directory (SIGTERM: they finish
    the calls in flight), and with them the embedded database."""
    from server import state
    from storage import embedded

    servers = state.live(settings.data_dir)
    if not servers:
        _say(f"no server is running on {settings.data_dir}")
    for server in servers:
        _say(f"stopping the server with pid {server.pid} "
             f"(gRPC port {server.grpc_port}, REST port {server.rest_port})")  # fmt: skip
        with contextlib.suppress(ProcessLookupError):
            os.kill(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + args.timeout
    while (left := [s.pid for s in servers if s.alive()]) and time.monotonic() < deadline:
        time.sleep(0.1)
    if left:
        sys.exit(f"clarifai-local: pid {', '.join(map(str, left))} did not stop within "
                 f"{args.timeout:g} s")  # fmt: skip
    pgdata = embedded.pgdata(settings.data_dir)
    if not embedded.running(settings.data_dir):
        if any(s.embedded for s in servers):
            _say(f"stopped; the embedded database under {pgdata} stopped with the last server")
        return
    if users := embedded.stop(settings.data_dir):
        _say(f"the embedded database under {pgdata} stays up: pid "
             f"{', '.join(map(str, users))} still use it")  # fmt: skip
    else:
        _say(f"stopped the embedded database under {pgdata}")


def _import(args: argparse.Namespace, settings: Settings) -> None:
    from server import importer, state

    pat = args.pat or os.environ.get("CLARIFAI_PAT", "")
    if not pat:
        sys.exit("clarifai-local: import needs a PAT or app key: --pat or CLARIFAI_PAT")
    if not 1 <= args.part_mib <= 64:
        sys.exit("clarifai-local: --part-mib must be from 1 to 64")
    address = args.address
    if not address:
        servers = state.live(settings.data_dir)
        address = f"127.0.0.1:{servers[0].grpc_port if servers else settings.grpc_port}"
    opts = importer.Options(
        source=args.source,
        app_id=args.app,
        user_id=args.user,
        pat=pat,
        address=address,
        dataset_id=args.dataset,
        part_bytes=args.part_mib * 2**20,
        state_dir=args.state_dir or importer.default_state_dir(),
        restart=args.restart,
        quiet=args.quiet,
    )
    sys.exit(importer.run(opts, _say))


def _revision(args: argparse.Namespace, settings: Settings) -> None:
    from storage import migrate

    # Against the database migrated to the newest migration, so the new one
    # holds only what the models changed since.
    db, _ = _open(settings)
    engine = db.sync_engine()
    try:
        path = migrate.revision(engine, args.message)
    finally:
        engine.dispose()
    print(f"wrote {path}; read it before committing", file=sys.stderr)


def _scaffold(module: str) -> None:
    from server import scaffold, services

    family = scaffold.Family(module)
    rpcs = scaffold.rpcs_of(family, set(services.load()))
    if not rpcs:
        sys.exit(f"no declared RPC about {family.plural} lacks a handler: declare them in protos/")
    for path in scaffold.write(family, rpcs):
        print(f"wrote {path.relative_to(scaffold.ROOT)}")
    print(scaffold.next_steps(family))


COMMANDS = {
    "serve": _serve,
    "bootstrap": _bootstrap,
    "import": _import,
    "reset": _reset,
    "migrate": _migrate,
    "revision": _revision,
    "stop": _stop,
}


if __name__ == "__main__":
    main()

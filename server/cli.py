"""`clarifai-local`: serve, bootstrap, reset, migrate, revision, scaffold."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from server.config import Settings
from server.ids import check_id
from server.logs import configure
from server.status import ApiError


def _bootstrap_text(info: dict[str, str], grpc_port: int) -> str:
    return f"""clarifai-local is ready.

  user_id  {info["user_id"]}
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="clarifai-local")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="serve gRPC and REST (bootstraps on first start)")
    boot = sub.add_parser("bootstrap", help="create a user with an app, a PAT and an app key")
    boot.add_argument("--json", action="store_true", help="print one JSON object")
    boot.add_argument("--user", default="", help="the user's id (default: a new one)")
    boot.add_argument("--app", default="", help="the app's id (default: main)")
    reset = sub.add_parser("reset", help="empty every table")
    reset.add_argument("--yes", action="store_true", required=True)
    sub.add_parser("migrate", help="apply database migrations")
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
    configure(settings.log_level if args.command == "serve" else "WARNING")
    COMMANDS[args.command](args, settings)


def _serve(_args: argparse.Namespace, settings: Settings) -> None:
    from server import bootstrap
    from server.main import open_database, serve

    db = open_database(settings)
    first = asyncio.run(bootstrap.first_run(db, settings.data_dir))
    asyncio.run(db.close())
    if first is not None:
        print(_bootstrap_text(first, settings.grpc_port), flush=True)
    asyncio.run(serve(settings))


def _bootstrap(args: argparse.Namespace, settings: Settings) -> None:
    from server import bootstrap
    from server.main import open_database

    db = open_database(settings)
    info = asyncio.run(bootstrap.create(db, user_id=args.user, app_id=args.app))
    asyncio.run(db.close())
    print(json.dumps(info) if args.json else _bootstrap_text(info, settings.grpc_port))


def _reset(_args: argparse.Namespace, settings: Settings) -> None:
    from server.main import open_database
    from storage import migrate

    engine = open_database(settings).sync_engine()
    migrate.reset(engine)
    engine.dispose()
    print("all tables emptied", file=sys.stderr)


def _migrate(_args: argparse.Namespace, settings: Settings) -> None:
    from server.main import open_database

    open_database(settings)
    print("database is at the newest migration", file=sys.stderr)


def _revision(args: argparse.Namespace, settings: Settings) -> None:
    from server.main import open_database
    from storage import migrate

    # Against the database migrated to the newest migration, so the new one
    # holds only what the models changed since.
    engine = open_database(settings).sync_engine()
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
    "reset": _reset,
    "migrate": _migrate,
    "revision": _revision,
}


if __name__ == "__main__":
    main()

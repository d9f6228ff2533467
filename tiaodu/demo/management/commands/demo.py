"""``tiaodu demo``: migrate, load the demo city 长治市, print the logins, and serve it.

tiaodu demo                          # http://127.0.0.1:8000/
tiaodu demo --addrport 0.0.0.0:8080  # reachable from the network (set TIAODU_ALLOWED_HOSTS)
tiaodu demo --no-serve               # load only
"""

import ipaddress
import re
import unicodedata

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tiaodu.demo.generator import PASSWORD, DemoError, load_demo

# Same shapes as ``runserver`` accepts: [addr:]port, addr an IPv4 address, [IPv6] or a host name.
ADDRPORT = re.compile(
    r"^(?:(?P<addr>(?P<ipv4>\d{1,3}(?:\.\d{1,3}){3})|(?P<ipv6>\[[a-fA-F0-9:]+\])"
    r"|(?P<fqdn>[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)):)?(?P<port>\d+)$"
)
DEFAULT_ADDRPORT = "127.0.0.1:8000"


def parse_addrport(value: str) -> tuple[str, int]:
    """(address, port) from ``[addr:]port``; a clear CommandError otherwise."""
    example = "例如 127.0.0.1:8000、0.0.0.0:8080 或 8000（e.g. 127.0.0.1:8000）"
    match = ADDRPORT.match(value.strip())
    if not match:
        raise CommandError(f"--addrport 的值“{value}”不是“地址:端口”格式，{example}。")
    port = int(match["port"])
    if not 1 <= port <= 65535:
        raise CommandError(f"--addrport 的端口 {port} 不在 1–65535 之间（port out of range）。")
    address = match["addr"] or "127.0.0.1"
    try:
        if match["ipv4"]:
            ipaddress.IPv4Address(address)
        elif match["ipv6"]:
            ipaddress.IPv6Address(address[1:-1])
    except ValueError:
        raise CommandError(f"--addrport 中的地址“{address}”不是有效的 IP 地址，{example}。") from None
    return address, port


def browser_url(address: str, port: int) -> str:
    """The address to open in a browser: a wildcard bind is reached on the loopback address."""
    host = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]"}.get(address, address)
    return f"http://{host}:{port}/"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A plain-text table whose columns line up with Chinese text in a terminal."""
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    rule = "  ".join("-" * w for w in widths)
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(header, widths, strict=True)).rstrip(), rule]
    lines += ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return lines


class Command(BaseCommand):
    help = "载入演示城市长治市（140400）并启动服务（load the 长治市 demo city and serve it）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="只迁移并载入演示数据，不启动服务（load only, do not serve）。",
        )
        parser.add_argument(
            "--addrport",
            default=DEFAULT_ADDRPORT,
            help=f"服务监听的地址和端口，默认 {DEFAULT_ADDRPORT}（address and port to serve on）。",
        )

    def handle(self, *args, no_serve: bool = False, addrport: str = DEFAULT_ADDRPORT, **options):
        address, port = parse_addrport(addrport)

        self.stdout.write("正在迁移数据库（migrate）……")
        call_command("migrate", interactive=False, verbosity=0)

        self.stdout.write("正在载入演示数据（loading the demo city 长治市）……")
        try:
            summary = load_demo(stdout=self.stdout)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if summary.created:
            self.stdout.write(self.style.SUCCESS(f"演示数据载入完成，用时 {summary.seconds:.1f} 秒（demo loaded）。"))
        for line in summary.lines():
            self.stdout.write(f"  {line}")

        self.stdout.write("")
        self.stdout.write("演示账号（demo logins）：")
        rows = [(login.username, PASSWORD, login.role, login.scope) for login in summary.logins]
        for line in format_table(("用户名", "密码", "角色", "范围"), rows):
            self.stdout.write(f"  {line}")
        url = browser_url(address, port)
        self.stdout.write("")
        self.stdout.write(f"访问地址（open）：{url}")
        host = url.split("//", 1)[1].rsplit(":", 1)[0].strip("[]")
        if (
            not settings.DEBUG
            and "*" not in settings.ALLOWED_HOSTS
            and host not in {h.strip("[]") for h in settings.ALLOWED_HOSTS}
        ):
            self.stdout.write(
                self.style.WARNING(
                    f"注意：{host} 不在 TIAODU_ALLOWED_HOSTS 中，浏览器访问会被拒绝（add it to TIAODU_ALLOWED_HOSTS）。"
                )
            )
        elif address in ("0.0.0.0", "[::]"):
            self.stdout.write(
                self.style.WARNING(
                    "注意：从其他电脑访问时，须把本机的地址或域名加入 TIAODU_ALLOWED_HOSTS（other hosts need "
                    "TIAODU_ALLOWED_HOSTS）。"
                )
            )
        if no_serve:
            return

        self.stdout.write("正在收集静态文件（collectstatic）……")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("启动服务，按 Ctrl+C 停止（serving, Ctrl+C to stop）……")
        call_command("runserver", f"{address}:{port}", use_reloader=False)

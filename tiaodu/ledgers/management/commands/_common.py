"""What the ``import`` and ``export`` commands share: finding the user and the region, usage errors."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from tiaodu.regions.models import Region

USAGE_ERROR = 2  # the status of a bad command line, as argparse uses
FILE_ERRORS = 1


def usage_error(message) -> CommandError:
    return CommandError(str(message), returncode=USAGE_ERROR)


def find_user(username: str | None, *, required: bool):
    """``--user NAME``, or the only superuser; ``None`` (read everything) when not ``required``."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise usage_error(_("没有名为“{name}”的有效用户。").format(name=username))
        return user
    if not required:
        return None
    superusers = list(users.filter(is_superuser=True)[:2])
    if len(superusers) == 1:
        return superusers[0]
    raise usage_error(_("请用 --user 指定以哪个用户的身份和权限导入。"))


def find_region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise usage_error(_("没有区划代码为“{code}”的区划。").format(code=code))
    return region


def find_chain(text: str, user):
    """``--chain``: a chain's name or number among those ``user`` sees."""
    from tiaodu.chains.models import Chain
    from tiaodu.core.scoping import VIEW

    chains = Chain.objects.restrict(user, VIEW)
    text = text.strip()
    found = list(chains.filter(pk=int(text))) if text.isdigit() else list(chains.filter(name=text)[:2])
    if len(found) != 1:
        if found:
            message = _("有多条名为“{name}”的产业链，请填写编号。")
        else:
            message = _("没有名为“{name}”的产业链，或不在该用户的查看范围内。")
        raise usage_error(message.format(name=text))
    return found[0]

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .scoping import user_grants

# (label, url name, view-name prefix that marks the item active)
NAV = [
    (_("首页"), "home", "home"),
    (_("调度看板"), "figures:dashboard", "figures:"),
    (_("项目库"), "projects:project_list", "projects:project"),
    (_("重点项目名单"), "projects:keylist_list", "projects:keylist"),
    (_("月度调度"), "reports:index", "reports:"),
    (_("单位与领导"), "orgs:organisation_list", "orgs:"),
    (_("行政区划"), "regions:region_list", "regions:"),
    (_("API"), "api-docs", "api-"),
]


def tiaodu(request):
    """The navigation and the user's roles, for the base template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"label": label, "url": reverse(name), "active": view_name.startswith(prefix)} for label, name, prefix in NAV
    ]
    roles = [grant.label for grant in user_grants(user)]
    if user.is_superuser:
        roles.insert(0, str(_("系统管理员")))
    return {"nav_items": items, "user_roles": roles}

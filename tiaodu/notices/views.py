"""我的通知: the user's notices, newest first; opening one marks it read; all can be marked read."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from . import selectors, services
from .models import Notice


class NoticeListView(LoginRequiredMixin, ListView):
    template_name = "notices/notice_list.html"
    context_object_name = "notices"
    paginate_by = 50

    def get_queryset(self):
        notices = selectors.notice_list(self.request.user)
        if self.request.GET.get("unread"):
            notices = notices.unread()
        return notices

    def paginate_queryset(self, queryset, page_size):
        # A page number out of range shows the last page instead of a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(unread_only=bool(self.request.GET.get("unread")), **kwargs)


class NoticeOpenView(LoginRequiredMixin, View):
    """POST: mark one of my notices read and go to what it is about."""

    def post(self, request, pk):
        try:
            notice = services.notice_mark_read(notice=Notice(pk=pk), actor=request.user)
        except Notice.DoesNotExist:
            raise Http404 from None
        link = notice.link
        if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
            return redirect(link)
        return redirect("notices:list")


class NoticeReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.notice_mark_all_read(actor=request.user)
        messages.success(request, _("已将 {count} 条通知标为已读。").format(count=count))
        return redirect("notices:list")

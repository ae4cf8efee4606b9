"""The admin site whose home page is the work dashboard (articles.dashboard.work)."""

from articles.accounts.site import EditorsAdminSite
from articles.dashboard.work import work_for


class DashboardAdminSite(EditorsAdminSite):
    index_template = "admin/dashboard.html"
    index_title = "Your work"

    def index(self, request, extra_context=None):
        # admin_view marks the page never_cache: what waits changes from minute to minute.
        context = {**(extra_context or {}), "work": work_for(request.user)}
        return super().index(request, context)

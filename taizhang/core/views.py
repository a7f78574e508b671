from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone


@login_required
def notifications(request):
    rows = list(request.user.notifications.all()[:100])
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    request.user.unread_notification_count = 0  # the header's badge was read before this page
    return render(request, "core/notifications.html", {"notifications": rows})

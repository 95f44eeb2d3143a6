"""What the comments app holds about a member: their comments, email subscriptions and reports on comments."""

from allauth.account.models import EmailAddress
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from .models import Comment, Report
from .services import comments_anonymise
from .subscriptions.models import Subscription


def export(user) -> dict[str, object]:
    return {
        "comments": [
            {
                "article": comment.article.title,
                "url": comment.article.get_absolute_url(),
                "status": comment.status,
                "submitted": comment.created_at.isoformat(),
                "comment": comment.body,
                "ip_address": comment.ip_address,
                "user_agent": comment.user_agent,
            }
            for comment in Comment.objects.filter(user=user).select_related("article").order_by("created_at")
        ],
        "subscriptions": [
            {"email": subscription.email, "about": str(subscription.subject), "status": subscription.status}
            for subscription in Subscription.objects.belonging_to(user).select_related("article").order_by("pk")
        ],
        "reports": [
            {
                "comment": report.comment.get_absolute_url(),
                "reason": report.reason,
                "sent": report.created_at.isoformat(),
            }
            for report in Report.objects.filter(reporter=user).select_related("comment").order_by("created_at")
        ],
    }


def erase(user) -> None:
    """Published comments stay, anonymised, including those written as a guest with one of the account's verified
    addresses; the rest go, and so do the subscriptions."""
    for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True):
        comments_anonymise(email=email)
    comments_anonymise(user=user)
    # Their reports keep counting, as anyone's would, but no longer say who sent them: each gets a key of its own,
    # named after the report, that leads to no reader (one report per reader and comment still holds).
    Report.objects.filter(reporter=user).update(
        reporter=None, reporter_key=Concat(Value("erased:report-"), Cast("pk", output_field=CharField()))
    )

"""What the comments app holds about a member (their comments, email subscriptions, reports on comments and the
WordPress logins an import knows them by) and about a guest's email address."""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from accounts.services import admin_history_anonymise
from config.email import absolute_url

from .models import Block, Comment, ImportedAuthor, Report
from .services import comments_anonymise
from .subscriptions.models import Subscription


def _comments(comments) -> list[dict[str, object]]:
    return [
        {
            "article": comment.article.title,
            "url": absolute_url(comment.get_absolute_url()),  # the file is read away from the site
            "status": comment.status,
            "submitted": comment.created_at.isoformat(),
            "name": comment.author_name,
            "email": comment.author_email,
            "website": comment.author_url,
            "comment": comment.body,
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
            # What it said before they edited it, newest first, as moderators see it.
            "earlier_versions": [
                {"comment": version.body, "written": version.written_at.isoformat()}
                for version in comment.versions.all()
            ],
        }
        for comment in comments.select_related("article").prefetch_related("versions").order_by("created_at")
    ]


def _subscriptions(subscriptions) -> list[dict[str, object]]:
    return [
        {"email": subscription.email, "about": str(subscription.subject), "status": subscription.status}
        for subscription in subscriptions.select_related("article").order_by("pk")
    ]


def export(user) -> dict[str, object]:
    return {
        # What erasing the account erases: its comments, and those from its verified addresses as a guest.
        "comments": _comments(Comment.objects.belonging_to(user)),
        "subscriptions": _subscriptions(Subscription.objects.belonging_to(user)),
        "reports": [
            {
                "comment": absolute_url(report.comment.get_absolute_url()),
                "reason": report.reason,
                "sent": report.created_at.isoformat(),
            }
            for report in Report.objects.filter(reporter=user).select_related("comment").order_by("created_at")
        ],
        "wordpress_logins": list(ImportedAuthor.objects.filter(user=user).values_list("login", flat=True)),
    }


def guest_export(email: str) -> dict[str, object]:
    """What a guest's address holds here: what erasing it (comments_anonymise) erases. A guest's reports are
    kept under a keyed hash of their network, which names no address."""
    return {
        "email": email,
        "comments": _comments(Comment.objects.written_as_guest(email)),
        "subscriptions": _subscriptions(Subscription.objects.asked_as_guest(email)),
    }


def erase(user) -> None:
    """Published comments stay, anonymised, including those written as a guest with one of the account's verified
    addresses; the rest go, and so do the subscriptions. A block on the account outlives it: it keeps out its
    verified addresses (moderators' record of abuse, not the reader's data to take back), which name no account: the
    admin's history named the account's blocks, lifted ones too, by the account's name."""
    blocks = Block.objects.filter(user=user)
    admin_history_anonymise(
        model=Block, pks=blocks.values_list("pk", flat=True), user=user, label=_("A block of an erased account")
    )
    for block in blocks:
        for email in block.account_addresses:
            Block.objects.create(
                email=email,
                reason=block.reason,
                ends_at=block.ends_at,
                created_by_id=block.created_by_id,
                created_at=block.created_at,
            )
    comments_anonymise(user=user)
    # Their reports keep counting, as anyone's would, but no longer say who sent them: each gets a key of its own,
    # named after the report, that leads to no reader (one report per reader and comment still holds).
    Report.objects.filter(reporter=user).update(
        reporter=None, reporter_key=Concat(Value("erased:report-"), Cast("pk", output_field=CharField()))
    )

"""Health-safety guidance: a reader who describes an emergency in a comment is told at once where to get help, and the
comment waits for a moderator with the rule named."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from comments.models import Comment, DiscussionSettings, SafetyRule
from comments.safety import first_phrase_found

pytestmark = pytest.mark.django_db

STROKE_EXAMPLE = "Since this morning there is sudden drooping on one side of my face and my words come out wrong."


@pytest.fixture
def approving(seed_article):
    """Comments appear at once unless a rule holds them: the safety rule is then the only reason to hold."""
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"require_previous_approval": False})
    return seed_article


def posted(client, article, post_comment, **fields) -> Comment:
    response = post_comment(client, article, **fields)
    assert response.status_code == 302, response.content[:2000]
    return Comment.objects.latest("pk")


# ---- Matching ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        STROKE_EXAMPLE,
        "My FACE IS DROOPING and I feel odd",
        "I think his face\n   drooping started an hour ago",
        "Slurred speech since lunch.",
        "(arm weakness)",
        "I have been feeling suicidal lately.",
        # The rules list "can't" and "self-harm" as a keyboard types them; phones put in "’" and word processors "‑".
        "I can\u2019t lift my arm since this morning",
        "I CAN\u02bcT SPEAK PROPERLY",
        "I have had thoughts of self\u2011harm",  # a non-breaking hyphen
        "Thinking of self\u2010harm again",
    ],
)
def test_the_shipped_rules_find_what_a_reader_in_danger_writes(text):
    assert SafetyRule.first_matching(text)[0] is not None


@pytest.mark.parametrize(
    "text",
    [
        "The interface drooping bug is fixed.",  # a longer word
        "Twitching on one side of my face for two years; Botox helped.",  # the article's own subject
        "My eyelid droops a little after the injections.",
        "Trigeminal neuralgia is sometimes called the suicide disease.",
        "I hurt myself shaving this morning, unrelated.",
        "A weak armistice, as my grandfather said.",
        "Speechless: this article is so clear.",
    ],
)
def test_near_misses_do_not_match(text):
    assert SafetyRule.first_matching(text) == (None, None)


def test_phrases_match_whatever_the_case_accents_and_script():
    assert first_phrase_found(["visage affaissé"], "Mon VISAGE affaisse d'un côté") == "visage affaissé"
    assert first_phrase_found(["Gesichtslähmung"], "plötzliche GESICHTSLAHMUNG links") == "Gesichtslähmung"
    # Japanese is written without spaces: the phrase is found inside the sentence.
    assert first_phrase_found(["顔のゆがみ"], "今朝から顔のゆがみがあります") == "顔のゆがみ"
    assert first_phrase_found(["visage affaissé"], "visages affaissés") is None


def test_a_rule_needs_phrases_and_a_link_for_its_link_text():
    with pytest.raises(ValidationError) as refused:
        SafetyRule(name="Empty", phrases=" \n ", message="Help", link_text="Here").full_clean()
    assert set(refused.value.message_dict) == {"phrases"}
    with pytest.raises(ValidationError) as refused:
        SafetyRule(name="Linkless", phrases="chest pain", message="Help", link_text="Here").full_clean()
    assert set(refused.value.message_dict) == {"link_url"}


def test_a_new_site_has_the_stroke_and_self_harm_rules_enabled():
    assert list(SafetyRule.objects.filter(enabled=True).values_list("name", flat=True)) == [
        "Stroke signs",
        "Self-harm",
    ]


# ---- Posting ---------------------------------------------------------------------------


def test_a_matching_comment_is_held_with_the_rule_named(client, approving, post_comment):
    comment = posted(client, approving, post_comment, comment=STROKE_EXAMPLE)
    assert comment.status == Comment.Status.PENDING
    assert comment.status_reason == "safety rule “Stroke signs”: “sudden drooping”"
    assert comment.safety_rule.name == "Stroke signs"


def test_the_reader_sees_the_guidance_at_once_above_their_held_comment(client, approving, post_comment):
    response = post_comment(client, approving, comment=STROKE_EXAMPLE, follow=True)
    page = response.text
    comment = Comment.objects.latest("pk")
    held = page.split(f'id="comment-{comment.pk}"')[1]
    guidance = held.index('class="safety-guidance" role="alert"')
    assert guidance < held.index("Your comment is awaiting moderation.") < held.index("sudden drooping on one side")
    assert "call an ambulance at once" in held
    assert 'href="https://www.nhs.uk/conditions/stroke/symptoms/">The signs of a stroke (NHS)</a>' in held


def test_other_readers_see_neither_the_comment_nor_the_guidance(client, approving, post_comment):
    post_comment(client, approving, comment=STROKE_EXAMPLE)
    client.cookies.clear()
    page = client.get(approving.get_absolute_url()).text
    assert "safety-guidance" not in page
    assert "sudden drooping" not in page


def test_a_disabled_rule_does_nothing(client, approving, post_comment):
    SafetyRule.objects.filter(name="Stroke signs").update(enabled=False)
    comment = posted(client, approving, post_comment, comment=STROKE_EXAMPLE)
    assert (comment.status, comment.safety_rule) == (Comment.Status.APPROVED, None)
    page = client.get(approving.get_absolute_url()).text
    assert "safety-guidance" not in page


def test_a_comment_that_matches_nothing_is_treated_as_before(client, approving, post_comment):
    comment = posted(client, approving, post_comment, comment="Botox every three months works for me.")
    assert (comment.status, comment.safety_rule) == (Comment.Status.APPROVED, None)


def test_the_guidance_comes_first_even_when_a_moderation_word_matches_too(client, approving, post_comment):
    DiscussionSettings.objects.filter(pk=1).update(disallowed_words="morning")
    comment = posted(client, approving, post_comment, comment=STROKE_EXAMPLE)
    assert comment.status == Comment.Status.PENDING
    assert comment.safety_rule is not None


# ---- Moderators -------------------------------------------------------------------------


def test_moderators_filter_the_comments_a_safety_rule_held(client, approving, post_comment, moderator, make_comment):
    post_comment(client, approving, comment=STROKE_EXAMPLE)
    make_comment(article=approving, body="Unrelated held comment.", status="pending")
    stroke = SafetyRule.objects.get(name="Stroke signs")
    client.force_login(moderator)
    listed = client.get(reverse("admin:comments_comment_changelist"), {"safety_rule__id__exact": stroke.pk}).text
    assert "sudden drooping" in listed
    assert "Unrelated held comment" not in listed


def test_the_admin_lists_the_rules_with_what_they_held(client, approving, post_comment, make_user):
    post_comment(client, approving, comment=STROKE_EXAMPLE)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:comments_safetyrule_changelist")).text
    stroke = SafetyRule.objects.get(name="Stroke signs")
    assert f'?safety_rule__id__exact={stroke.pk}">1</a>' in page
    # What it held and a moderator since put in the trash is not counted: its link lists what is not (found by a
    # review: 2, and the list showed 1).
    post_comment(
        Client(), approving, comment=f"{STROKE_EXAMPLE} Again.", email="another@example.com", ip="198.51.100.30"
    )
    assert Comment.objects.filter(safety_rule=stroke).count() == 2
    Comment.objects.filter(safety_rule=stroke).exclude(pk=Comment.objects.earliest("pk").pk).update(status="trash")
    page = client.get(reverse("admin:comments_safetyrule_changelist")).text
    assert f'?safety_rule__id__exact={stroke.pk}">1</a>' in page


# Found by a review: a long comment in Korean (1,750 characters), where a syllable is two or three letters (jamo) once
# decomposed, was compared only as far as twice its length, so the phrase in its last part was never looked for.
KOREAN_STORY = (
    "안녕하세요. 저는 작년부터 편두통 때문에 보톡스 치료를 받고 있습니다. "
    "처음에는 효과가 좋았는데 요즘은 잘 모르겠습니다. "
    "선생님께서 다음 달에 용량을 바꿔 보자고 하셨어요. 그런데 오늘 아침에 일어났는데 "
) * 15 + "갑자기 얼굴 한쪽이 처졌어요."


def test_a_phrase_at_the_end_of_a_long_comment_in_korean_is_found(client, approving, post_comment):
    SafetyRule.objects.create(name="뇌졸중", phrases="얼굴 한쪽이 처졌어요", message="119에 전화하세요.", position=0)
    comment = posted(client, approving, post_comment, comment=KOREAN_STORY)
    reason = "safety rule “뇌졸중”: “얼굴 한쪽이 처졌어요”"
    assert (comment.status, comment.status_reason) == (Comment.Status.PENDING, reason)

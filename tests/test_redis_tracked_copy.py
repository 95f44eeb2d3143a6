"""Each process keeps a copy of the keys every page request reads, and Redis says when one changes.

config.cache's `get_many_current` answers from the copy while Redis has not said a key changed:
a page from the page cache then costs no round trip, yet no process ever answers from a copy
older than what another process wrote. "Another process" here is a second Redis client.
"""

import logging
import pickle
import subprocess

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from comments.models import Comment, DiscussionSettings
from comments.services import comment_moderate
from config import pagecache
from tests.needs import redis_at
from tests.test_shared_pages import read, served_from_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_redis(settings, redis_server):
    redis_server()
    redis_at(settings, redis_server.port)
    return redis_server


@pytest.fixture
def another_process(own_redis):
    """A client of the same Redis that is not this process's cache: what another gunicorn worker would write."""
    client = redis.Redis(port=own_redis.port)
    yield client
    client.close()


def mgets_answered(port: int) -> int:
    with redis.Redis(port=port) as client:
        stats = client.info("commandstats")
    return stats.get("cmdstat_mget", {}).get("calls", 0)


def test_a_value_read_once_is_answered_again_without_asking_redis(own_redis):
    cache.set("greeting", "hello")
    assert cache.get_many_current(["greeting"]) == {"greeting": "hello"}
    before = mgets_answered(own_redis.port)
    for _ in range(20):
        assert cache.get_many_current(["greeting", "absent"]) == {"greeting": "hello"}
    # The absent key was read once more (it was new to the copy); the rest came from the copy.
    assert mgets_answered(own_redis.port) - before == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda other: other.set(cache.make_key("greeting"), pickle.dumps("changed elsewhere")),
        lambda other: other.delete(cache.make_key("greeting")),
        lambda other: other.flushdb(),
        lambda other: other.expire(cache.make_key("greeting"), 0),
    ],
    ids=["set", "deleted", "emptied", "expired"],
)
def test_what_another_process_changes_is_read_at_once(another_process, change):
    cache.set("greeting", "hello")
    assert cache.get_many_current(["greeting"]) == {"greeting": "hello"}
    change(another_process)
    expected = "changed elsewhere" if another_process.exists(cache.make_key("greeting")) else None
    assert cache.get_many_current(["greeting"]).get("greeting") == expected


def test_what_this_process_writes_is_read_at_once(own_redis):
    cache.set("greeting", "hello")
    assert cache.get_many_current(["greeting"]) == {"greeting": "hello"}
    cache.set_many({"greeting": "bonjour"})
    assert cache.get_many_current(["greeting"]) == {"greeting": "bonjour"}
    cache.delete("greeting")
    assert cache.get_many_current(["greeting"]) == {}


def test_a_lost_connection_never_leaves_an_old_copy_in_use(own_redis, another_process):
    cache.set("greeting", "hello")
    assert cache.get_many_current(["greeting"]) == {"greeting": "hello"}
    # Redis drops this process's connections (a restart, a failover, a proxy's timeout)…
    subprocess.run(["redis-cli", "-p", str(own_redis.port), "client", "kill", "type", "pubsub"], check=True)
    subprocess.run(["redis-cli", "-p", str(own_redis.port), "client", "kill", "type", "normal"], check=True)
    # …and a change is made while no message can reach it.
    another_process.set(cache.make_key("greeting"), pickle.dumps("changed meanwhile"))
    assert cache.get_many_current(["greeting"]) == {"greeting": "changed meanwhile"}


def test_a_reading_connection_closed_by_redis_is_not_trusted_after(own_redis, another_process):
    # Redis closes idle connections after its `timeout`: the keys that connection read are no longer tracked.
    cache.set("greeting", "hello")
    assert cache.get_many_current(["greeting"]) == {"greeting": "hello"}
    subprocess.run(["redis-cli", "-p", str(own_redis.port), "client", "kill", "type", "normal"], check=True)
    another_process.set(cache.make_key("greeting"), pickle.dumps("changed after the close"))
    assert cache.get_many_current(["greeting"]) == {"greeting": "changed after the close"}


@pytest.mark.parametrize("connection", ["reader", "listener"])
def test_a_connection_redis_py_makes_again_by_itself_is_not_trusted(own_redis, another_process, connection):
    cache.set("greeting", "hello")
    assert cache.get_many_current(["greeting"]) == {"greeting": "hello"}
    getattr(cache._cache._tracked, connection).disconnect()  # redis-py connects again on its next use
    another_process.set(cache.make_key("greeting"), pickle.dumps("changed meanwhile"))
    assert cache.get_many_current(["greeting"]) == {"greeting": "changed meanwhile"}


def test_a_redis_that_refuses_tracking_is_read_every_time(own_redis, another_process, caplog):
    subprocess.run(
        ["redis-cli", "-p", str(own_redis.port), "acl", "setuser", "default", "-client|tracking"], check=True
    )
    cache.set("greeting", "hello")
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get_many_current(["greeting"]) == {"greeting": "hello"}
        another_process.set(cache.make_key("greeting"), pickle.dumps("changed elsewhere"))
        assert cache.get_many_current(["greeting"]) == {"greeting": "changed elsewhere"}
        assert cache.get("greeting") == "changed elsewhere"  # the rest of the cache works on
    assert [record.message for record in caplog.records if "refuses client tracking" in record.message]
    assert not [record.message for record in caplog.records if "not answering" in record.message]


def test_a_redis_that_will_not_say_whether_it_restarted_still_keeps_the_copy(own_redis, caplog):
    def info(allowed: str) -> None:
        subprocess.run(["redis-cli", "-p", str(own_redis.port), "acl", "setuser", "default", allowed], check=True)

    info("-info")
    cache.set("greeting", "hello")
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get_many_current(["greeting"]) == {"greeting": "hello"}
    info("+info")  # to count what was asked
    before = mgets_answered(own_redis.port)
    assert cache.get_many_current(["greeting"]) == {"greeting": "hello"}
    assert mgets_answered(own_redis.port) == before  # answered from the copy
    assert [record.message for record in caplog.records if "does not say whether it restarted" in record.message]
    assert not [record.message for record in caplog.records if "refuses client tracking" in record.message]


def test_redis_restarted_empty_is_read_afresh(own_redis):
    cache.set("greeting", "hello")
    assert cache.get_many_current(["greeting"]) == {"greeting": "hello"}
    own_redis.stop()
    own_redis()
    assert cache.get_many_current(["greeting"]) == {}


def test_the_settings_a_caller_gets_are_its_own_though_the_process_keeps_them(own_redis):
    DiscussionSettings.load()  # read, and kept
    mine = DiscussionSettings.load()  # from this process's copy
    mine.manual_approval = True  # changed, not saved
    assert DiscussionSettings.load().manual_approval is False


# ---- The page cache on it ------------------------------------------------------------
def test_a_page_kept_is_replaced_at_once_when_another_process_approves_a_comment(
    own_redis, another_process, article, make_comment, moderator, committed
):
    url = article.get_absolute_url()
    held = make_comment(article=article, body="Approved by another worker.", status=Comment.Status.PENDING)
    read(Client(), url)
    assert served_from_cache(Client(), url)
    # The other worker approves it: the database changes, then it marks the page changed in Redis.
    with committed():
        Comment.objects.filter(pk=held.pk).update(status=Comment.Status.APPROVED)
    another_process.set(cache.make_key(pagecache._path_generation_key(url)), pickle.dumps("after the approval"))
    response = read(Client(), url)
    assert response["X-Page-Cache"] == "miss"
    assert "Approved by another worker." in response.text


def test_a_page_kept_shows_a_comment_approved_in_this_process_at_once(
    own_redis, article, make_comment, moderator, committed
):
    url = article.get_absolute_url()
    held = make_comment(article=article, body="Approved here.", status=Comment.Status.PENDING)
    read(Client(), url)
    assert served_from_cache(Client(), url)
    with committed():
        comment_moderate(comment=held, action="approve", by=moderator)
    assert "Approved here." in read(Client(), url).text


def test_what_a_page_keeps_is_in_each_process_only_when_small(own_redis, settings):
    settings.PAGE_CACHE_SECONDS = 600
    version = pagecache.version("/a-page/")
    assert pagecache.kept_under(version, "count", lambda: 3) == 3
    assert pagecache.kept_under(version, "structured-data", lambda: {"comment": ["…"] * 50}, large=True)
    # Both are kept in Redis for every process; only the small one is also in this process's copy.
    assert pagecache.kept_under(version, "count", lambda: 0) == 3
    assert pagecache.kept_under(version, "structured-data", lambda: {}, large=True) == {"comment": ["…"] * 50}
    copied = [key for key in cache._cache._tracked.values if ":pages:kept:" in key]
    assert [key.rsplit(":", 1)[-1] for key in copied] == ["count"]


def test_a_redis_restarted_with_an_old_snapshot_is_emptied_before_use(own_redis, settings):
    settings.PAGE_CACHE_SECONDS = 600
    page = pagecache._path_generation_key("/a-page/")
    cache.set(page, "before the snapshot", None)
    assert cache.get_many_current([page]) == {page: "before the snapshot"}
    with redis.Redis(port=own_redis.port) as server:
        server.save()  # what an RDB snapshot (or an AOF) brings back after a crash
    cache.set(page, "after the snapshot", None)  # a change since
    own_redis.stop()
    own_redis()  # started again in the same folder: it reloads the snapshot, and the change is gone from it
    with redis.Redis(port=own_redis.port) as server:
        assert server.get(cache.make_key(page)) == cache._cache._serializer.dumps("before the snapshot")
    # Nothing it reloaded is taken as current: the page's generation will be made anew.
    assert cache.get_many_current([page]) == {}


@pytest.mark.parametrize("emptied_by", ["an outage", "cache.clear()"])
def test_a_restart_with_an_old_snapshot_is_still_found_out_after_the_database_was_emptied(
    own_redis, settings, emptied_by
):
    settings.PAGE_CACHE_SECONDS = 600
    page = pagecache._path_generation_key("/a-page/")
    if emptied_by == "an outage":
        own_redis.stop()
        assert cache.get_many_current([page]) == {}  # the outage, noticed
        own_redis()
        cache._cache._outage.paused_until = 0  # asked again at once, not after the pause
        cache.set(page, "back", None)  # Redis answers again: everything is emptied, the run's id with it
    else:
        cache.clear()
    cache.set(page, "before the snapshot", None)
    with redis.Redis(port=own_redis.port) as server:
        server.save()
    cache.set(page, "after the snapshot", None)
    own_redis.stop()
    own_redis()
    assert cache.get_many_current([page]) == {}

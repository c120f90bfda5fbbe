"""The system check that warns when Redis may evict queued tasks or rate-limit counters."""

import os

import pytest

from learning import security
from learning.security import check_redis_eviction_policy


def test_no_redis_no_check(settings):
    settings.REDIS_URL = ""
    assert check_redis_eviction_policy() == []


def test_unreachable_redis_is_a_warning_not_an_error(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6390/0"  # nothing listens there
    messages = check_redis_eviction_policy()
    assert [message.id for message in messages] == ["learning.W011"]
    assert messages[0].is_serious() is False


@pytest.mark.parametrize(("policy", "ids"), [("noeviction", []), ("allkeys-lru", ["learning.W010"]), ("volatile-lru", ["learning.W010"])])
def test_policy_other_than_noeviction_warns(settings, monkeypatch, policy, ids):
    settings.REDIS_URL = "redis://example.invalid:6379/0"
    monkeypatch.setattr(security, "redis_maxmemory_policy", lambda *, url, timeout=2.0: policy)
    assert [message.id for message in check_redis_eviction_policy()] == ids


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="Reads the policy of a real Redis: only with REDIS_URL set.")
def test_reads_the_policy_of_the_real_redis():
    assert security.redis_maxmemory_policy(url=os.environ["REDIS_URL"]) in {
        "noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu",
        "volatile-random", "volatile-ttl",
    }

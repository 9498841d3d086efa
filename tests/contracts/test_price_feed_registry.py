"""PriceFeedRegistry: 18-decimal prices and a distinct revert for each untrustworthy answer."""

from __future__ import annotations

import pytest

from tests.contracts.reverts import MINED, reverts

TOKEN = "0x" + "11" * 20


def test_latest_price__8_decimal_feed__normalized_to_18(project, feed_registry, admin):
    feed = admin.deploy(project.MockAggregator, 8, 3000_12345678)
    tx = feed_registry.setFeed(TOKEN, feed, 3600, 200, sender=admin)
    assert tx.decode_logs(feed_registry.FeedSet)[0].decimals == 8
    price, _ = feed_registry.latestPrice(TOKEN)
    assert price == 3000_12345678 * 10**10


@pytest.mark.parametrize(("decimals", "answer", "price"), [
    (18, 2500 * 10**18, 2500 * 10**18),
    (20, 2500 * 10**20 + 99, 2500 * 10**18),  # scaled down: the last two digits drop
    (0, 7, 7 * 10**18)])
def test_latest_price__any_decimals__normalized_to_18(project, feed_registry, admin, decimals,
                                                      answer, price):
    feed = admin.deploy(project.MockAggregator, decimals, answer)
    feed_registry.setFeed(TOKEN, feed, 3600, 0, sender=admin)
    assert feed_registry.latestPrice(TOKEN)[0] == price


def test_latest_price__missing_stale_nonpositive_incomplete__distinct_errors(
        project, feed_registry, admin, chain):
    with reverts(feed_registry.PriceFeedMissing):
        feed_registry.latestPrice(TOKEN)
    feed = admin.deploy(project.MockAggregator, 8, 100)
    feed_registry.setFeed(TOKEN, feed, 60, 0, sender=admin)
    chain.pending_timestamp = chain.pending_timestamp + 120
    chain.mine()
    with reverts(feed_registry.PriceFeedStale):
        feed_registry.latestPrice(TOKEN)
    feed.setAnswer(0, sender=admin)
    with reverts(feed_registry.PriceFeedNonPositive):
        feed_registry.latestPrice(TOKEN)
    now = chain.pending_timestamp
    feed.setRoundData(10, 5, now, now, 9, sender=admin)  # answered in an older round
    with reverts(feed_registry.PriceFeedIncompleteRound):
        feed_registry.latestPrice(TOKEN)
    later = now + 3600  # an answer dated an hour after the block
    feed.setRoundData(11, 5, later, later, 11, sender=admin)
    with reverts(feed_registry.PriceFeedFutureAnswer):
        feed_registry.latestPrice(TOKEN)


def test_set_feed__bad_input_or_role__reverts(project, feed_registry, admin, stranger):
    feed = admin.deploy(project.MockAggregator, 8, 1)
    with reverts(feed_registry.PriceFeedNoCode, mined=True):
        feed_registry.setFeed(TOKEN, stranger.address, 60, 0, sender=admin, **MINED)
    with reverts(feed_registry.PriceFeedBadHeartbeat, mined=True):
        feed_registry.setFeed(TOKEN, feed, 0, 0, sender=admin, **MINED)
    with reverts(feed_registry.PriceFeedBadDeviation, mined=True):
        feed_registry.setFeed(TOKEN, feed, 60, 5001, sender=admin, **MINED)
    with reverts(feed_registry.AccessControlUnauthorizedAccount, mined=True):
        feed_registry.setFeed(TOKEN, feed, 60, 0, sender=stranger, **MINED)
    with reverts(feed_registry.PriceFeedZeroAddress, mined=True):
        feed_registry.setFeed("0x" + "00" * 20, feed, 60, 0, sender=admin, **MINED)
    with reverts(feed_registry.PriceFeedZeroAddress, mined=True):
        feed_registry.setFeed(TOKEN, "0x" + "00" * 20, 60, 0, sender=admin, **MINED)
    assert feed_registry.tokens() == []


def test_remove_feed__event_and_gone(project, feed_registry, admin, stranger):
    feed = admin.deploy(project.MockAggregator, 8, 1)
    with reverts(feed_registry.PriceFeedMissing):
        feed_registry.removeFeed(TOKEN, sender=admin)
    feed_registry.setFeed(TOKEN, feed, 60, 0, sender=admin)
    with reverts(feed_registry.AccessControlUnauthorizedAccount, mined=True):
        feed_registry.removeFeed(TOKEN, sender=stranger, **MINED)
    assert feed_registry.tokens() == [TOKEN]
    tx = feed_registry.removeFeed(TOKEN, sender=admin)
    assert len(tx.decode_logs(feed_registry.FeedRemoved)) == 1
    assert feed_registry.tokens() == []
    with reverts(feed_registry.PriceFeedMissing):
        feed_registry.latestPrice(TOKEN)

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


def test_latest_price__answer_heartbeat_old__fresh_a_second_later_stale(
        project, feed_registry, admin, chain):
    feed = admin.deploy(project.MockAggregator, 8, 100)
    feed_registry.setFeed(TOKEN, feed, 60, 0, sender=admin)
    updated = chain.blocks.head.timestamp
    feed.setRoundData(2, 100, updated, updated, 2, sender=admin)
    chain.pending_timestamp = updated + 60
    chain.mine()
    assert chain.blocks.head.timestamp == updated + 60
    assert feed_registry.latestPrice(TOKEN) == (100 * 10**10, updated)
    chain.pending_timestamp = updated + 61  # one second later
    chain.mine()
    assert chain.blocks.head.timestamp == updated + 61
    with reverts(feed_registry.PriceFeedStale):
        feed_registry.latestPrice(TOKEN)


def test_latest_price__never_updated_or_negative__distinct_errors(project, feed_registry, admin):
    feed = admin.deploy(project.MockAggregator, 8, 100)
    feed_registry.setFeed(TOKEN, feed, 3600, 0, sender=admin)
    feed.setRoundData(7, 100, 0, 0, 7, sender=admin)  # a round that never got an answer
    with reverts(feed_registry.PriceFeedIncompleteRound):
        feed_registry.latestPrice(TOKEN)
    feed.setAnswer(-1, sender=admin)
    with reverts(feed_registry.PriceFeedNonPositive):
        feed_registry.latestPrice(TOKEN)


def test_set_feed__more_decimals_than_36__reverts_bad_decimals(project, feed_registry, admin):
    for decimals in (37, 96, 255):
        feed = admin.deploy(project.MockAggregator, decimals, 10**30)
        with reverts(feed_registry.PriceFeedBadDecimals, mined=True):
            feed_registry.setFeed(TOKEN, feed, 60, 0, sender=admin, **MINED)
    assert feed_registry.tokens() == []
    feed = admin.deploy(project.MockAggregator, 36, 2500 * 10**36)
    feed_registry.setFeed(TOKEN, feed, 60, 0, sender=admin)
    assert feed_registry.latestPrice(TOKEN)[0] == 2500 * 10**18


@pytest.mark.parametrize(("decimals", "answer"), [
    (24, 999_999),  # positive, but under one 18-decimal unit: it would read as a price of 0
    (0, 2**255 - 1)])  # times 10^18 it overflows
def test_latest_price__answer_that_does_not_fit_18_decimals__reverts_out_of_range(
        project, feed_registry, admin, decimals, answer):
    feed = admin.deploy(project.MockAggregator, decimals, answer)
    feed_registry.setFeed(TOKEN, feed, 3600, 0, sender=admin)
    with reverts(feed_registry.PriceFeedOutOfRange):
        feed_registry.latestPrice(TOKEN)


def test_set_and_remove_feed__several_tokens__listed_once_each_and_events_carry_them(
        project, feed_registry, admin):
    a, b, c = ("0x" + f"{n:02x}" * 20 for n in (0xA1, 0xB2, 0xC3))
    feed = admin.deploy(project.MockAggregator, 8, 100)
    other = admin.deploy(project.MockAggregator, 18, 10**18)
    for token in (a, b, c):
        feed_registry.setFeed(token, feed, 60, 0, sender=admin)
    tx = feed_registry.setFeed(b, other, 120, 300, sender=admin)  # replaced, not listed again
    event = tx.decode_logs(feed_registry.FeedSet)[0]
    assert (event.token.lower(), event.aggregator, event.heartbeat, event.decimals,
            event.maxDeviationBps) == (b, other.address, 120, 18, 300)
    assert tuple(feed_registry.getFeed(b)) == (other.address, 120, 18, 300)
    assert [t.lower() for t in feed_registry.tokens()] == [a, b, c]
    tx = feed_registry.removeFeed(b, sender=admin)  # from the middle: the last takes its place
    assert tx.decode_logs(feed_registry.FeedRemoved)[0].token.lower() == b
    assert [t.lower() for t in feed_registry.tokens()] == [a, c]
    feed_registry.setFeed(b, feed, 60, 0, sender=admin)
    assert [t.lower() for t in feed_registry.tokens()] == [a, c, b]


def test_set_or_remove_feed__paused__refused(project, feed_registry, admin):
    # a removal is an edit like any other here: it can leave a hop without any bound
    feed = admin.deploy(project.MockAggregator, 8, 100)
    feed_registry.setFeed(TOKEN, feed, 60, 0, sender=admin)
    feed_registry.pause(sender=admin)
    with reverts(feed_registry.EnforcedPause, mined=True):
        feed_registry.setFeed(TOKEN, feed, 120, 0, sender=admin, **MINED)
    with reverts(feed_registry.EnforcedPause, mined=True):
        feed_registry.removeFeed(TOKEN, sender=admin, **MINED)
    assert feed_registry.getFeed(TOKEN).heartbeat == 60
    assert feed_registry.tokens() == [TOKEN]

"""In Debian chromium: sign in through the stand-in provider, watch prices move with the chain,
pause the keeper as a trader (and see the keeper itself report it), be refused as a viewer."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOTS
from tests.keeper.chain.swapper import swapper

TIMEOUT = 30_000


def _login(page: Page, url: str, login: str) -> None:
    page.goto(f"{url}/")
    page.get_by_test_id("login-standin").click()
    # the provider's own page (a stand-in for GitHub's or Google's)
    expect(page).to_have_url(re.compile(r"/standin/authorize\?.*code_challenge="))
    page.fill("#login", login)
    page.fill("#email", f"{login}@example.test")
    page.click("#sign-in")
    expect(page.get_by_test_id("whoami")).to_contain_text(f"{login} · ", timeout=TIMEOUT)


def _pool_prices(page: Page) -> list[str]:
    return page.get_by_test_id("pool-price").all_inner_texts()


def test_trader__logs_in_sees_live_prices_and_pauses_the_keeper(system, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, system.url, "trader")
    expect(page.get_by_test_id("whoami")).to_have_text("trader · trader")
    expect(page.get_by_test_id("connection-state")).to_have_attribute(
        "data-state", "connected", timeout=TIMEOUT)
    expect(page.get_by_test_id("pool-row").first).to_be_visible(timeout=TIMEOUT)
    before = _pool_prices(page)
    head_before = system.world.w3.eth.block_number

    # the chain moves: a real router swap; the page must follow without a reload
    swap = swapper(system.world)
    swap("uniswap-v2", 200 * 10**18)
    head = system.world.w3.eth.block_number
    assert head > head_before
    expect(page.get_by_test_id("head")).to_have_text(f"block {head}", timeout=TIMEOUT)
    page.wait_for_function(
        "before => JSON.stringify([...document.querySelectorAll('[data-testid=pool-price]')]"
        ".map(e => e.innerText)) !== JSON.stringify(before)", arg=before, timeout=TIMEOUT)
    assert _pool_prices(page) != before
    page.screenshot(path=str(SCREENSHOTS / "prices.png"), full_page=True)

    page.get_by_role("link", name="Opportunities").click()
    expect(page.get_by_test_id("opportunity-row").first).to_be_visible(timeout=TIMEOUT)
    page.screenshot(path=str(SCREENSHOTS / "opportunities.png"), full_page=True)

    page.get_by_role("link", name="Controls").click()
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_test_id("notice")).to_contain_text("pause: done")
    expect(page.get_by_test_id("controls-paused")).to_have_attribute("data-paused", "true")
    # the keeper (in the web process) got the control; its next block reports itself paused
    swap("sushiswap", 10**18)
    expect(page.get_by_test_id("keeper-state")).to_have_attribute(
        "data-state", "paused", timeout=TIMEOUT)
    # the chip also follows the web's own controls table: the keeper's log line is its own word
    deadline = time.monotonic() + TIMEOUT / 1000
    while "keeper paused by trader" not in system.log.read_text() \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "keeper paused by trader" in system.log.read_text()
    page.screenshot(path=str(SCREENSHOTS / "controls-paused.png"), full_page=True)
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_test_id("controls-paused")).to_have_attribute("data-paused", "false")

    page.get_by_role("link", name="System status").click()
    expect(page.get_by_test_id("node-head")).to_have_text(str(system.world.w3.eth.block_number),
                                                          timeout=TIMEOUT)
    page.screenshot(path=str(SCREENSHOTS / "status.png"), full_page=True)
    assert errors == []
    page.close()


def test_viewer__is_refused_the_controls(system, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _login(page, system.url, "viewer")
    expect(page.get_by_test_id("whoami")).to_have_text("viewer · viewer")
    expect(page.get_by_role("link", name="Controls")).to_have_count(0)
    page.goto(f"{system.url}/controls")
    expect(page.get_by_test_id("forbidden")).to_contain_text("needs the trader role")
    page.screenshot(path=str(SCREENSHOTS / "viewer-refused.png"), full_page=True)
    # the server refuses too, whatever the page shows: the viewer's own session, CSRF included
    status = page.evaluate("""async () => {
        const csrf = document.cookie.split('; ').find(c => c.startsWith('csrf_access_token='));
        const r = await fetch('/api/controls/pause', {method: 'POST', credentials: 'same-origin',
            headers: {'X-CSRF-TOKEN': csrf ? csrf.split('=')[1] : ''}});
        return [r.status, (await r.json()).error];
    }""")
    assert status == [403, "forbidden"]
    controls = page.evaluate("async () => (await (await fetch('/api/controls')).json()).paused")
    assert controls is False
    context.close()


def test_admin__disables_a_dex_on_chain_and_the_keeper_stops_routing_it(system, browser):
    from keeper.onchain.registry import registered_dexes

    world = system.world
    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    _login(page, system.url, "root")
    page.get_by_role("link", name="Controls").click()
    rows = page.get_by_test_id("registry-dexes").get_by_role("row")
    sushi = rows.filter(has_text="sushiswap")
    expect(sushi).to_contain_text("enabled", timeout=TIMEOUT)
    sushi.get_by_role("button", name="Disable").click()
    expect(sushi).to_contain_text("disabled", timeout=TIMEOUT)
    enabled = {d.id: d.enabled for d in registered_dexes(world.w3,
                                                         world.manifest.system.dex_registry)}
    assert enabled["sushiswap"] is False and enabled["uniswap-v2"] is True
    page.screenshot(path=str(SCREENSHOTS / "admin-registry.png"), full_page=True)

    # the keeper in the web process follows: a dislocation on sushiswap is not traded
    sushi_pools = {p.address for p in world.manifest.pools_of("sushiswap")}
    swap = swapper(world)
    swap("sushiswap", 200 * 10**18)
    swap("uniswap-v2", 200 * 10**18)
    head = world.w3.eth.block_number
    page.get_by_role("link", name="Opportunities").click()
    expect(page.get_by_test_id("opportunity-row").first).to_contain_text(str(head),
                                                                        timeout=TIMEOUT)
    items = page.evaluate("async () => (await (await fetch('/api/opportunities?limit=200'))"
                          ".json()).items")
    newest = [o for o in items if o["block"] == head]
    assert newest and not any(h["pool"] in sushi_pools for o in newest for h in o["route"])
    sushi.page.get_by_role("link", name="Controls").click()
    rows.filter(has_text="sushiswap").get_by_role("button", name="Enable").click()
    expect(rows.filter(has_text="sushiswap")).to_contain_text("enabled", timeout=TIMEOUT)
    audit = page.evaluate("async () => (await (await fetch('/api/audit?limit=20')).json())"
                          ".items.map(a => a.action + ':' + a.outcome)")
    assert "registry_disable:ok" in audit and "registry_enable:ok" in audit
    page.close()

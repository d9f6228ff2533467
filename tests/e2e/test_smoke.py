"""Smoke test in a real browser: the login page is Chinese, drawn in a CJK font, and offers English."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import LOGIN_PATH, screenshot_path

pytestmark = pytest.mark.django_db(transaction=True)

# Families that really hold Chinese glyphs. Without one, Chromium draws the text as boxes ("tofu")
# in whatever Latin font it has, and CSS.getPlatformFontsForNode names that font instead.
CJK_FONT = re.compile(r"CJK|Source Han|WenQuanYi|Droid Sans Fallback|AR PL|Sim(Sun|Hei)|YaHei|PingFang|Heiti|Songti")

MARK_CHINESE_TEXT = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (/[\\u4e00-\\u9fff]/.test(node.textContent) && element.checkVisibility()) {
            element.setAttribute("data-cjk-probe", "");
            return node.textContent.trim();
        }
    }
    return null;
}"""


def fonts_rendering(page, selector: str) -> list[dict]:
    """The fonts Chromium really drew an element's text with (DevTools' "Rendered Fonts")."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]
        node_id = cdp.send("DOM.querySelector", {"nodeId": root["nodeId"], "selector": selector})["nodeId"]
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
    finally:
        cdp.detach()


def test_login_page_is_chinese_in_a_cjk_font_with_an_english_switch(page, live_server):
    response = page.goto(live_server.url + LOGIN_PATH)
    assert response is not None and response.ok, f"GET {LOGIN_PATH}: HTTP {response and response.status}"
    assert "调度" in page.title()
    # <html lang="zh-Hans"> also makes Chromium pick Simplified Chinese glyphs (Noto Sans CJK SC, not JP).
    lang = page.locator("html").get_attribute("lang") or ""
    assert lang.lower().startswith("zh"), f'<html lang="{lang}">: expected a Chinese language code'

    chinese = page.evaluate(MARK_CHINESE_TEXT)
    assert chinese, "no visible Chinese text on the login page"
    fonts = fonts_rendering(page, "[data-cjk-probe]")
    families = [font["familyName"] for font in fonts]
    assert any(CJK_FONT.search(family) for family in families), (
        f"{chinese!r} is drawn in {families}, no CJK font (is fonts-noto-cjk installed?)"
    )

    png = page.screenshot(path=screenshot_path("login"), full_page=True)
    # A blank 1366x900 page is about 4 KB of PNG.
    assert len(png) > 10_000, f"login screenshot is only {len(png)} bytes: is the page blank?"

    english = page.get_by_role("link", name="English", exact=True).or_(
        page.get_by_role("button", name="English", exact=True)
    )
    expect(english.first).to_be_visible()

"""Take a full-page screenshot of a URL with headless Chromium: python scripts/screenshot.py URL out.png [username]."""

import sys

from playwright.sync_api import sync_playwright

url, out = sys.argv[1], sys.argv[2]
username = sys.argv[3] if len(sys.argv) > 3 else None
with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    if username:
        base = url.split("/", 3)[:3]
        page.goto("/".join(base) + "/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "demo-password")
        page.click("button[type=submit]")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out, full_page=True)
    browser.close()

// Package browsertest drives rcm's pages in a real browser: Chromium, from
// Debian's package (scripts/test installs it when missing; RCM_CHROMIUM_BIN
// names another), through the DevTools protocol with chromedp, against the
// real stack (PostgreSQL, the Temporal dev server, SMTP, the web server in
// process). The tests type figures the Vietnamese way on a 360 px phone,
// check the error summary takes the focus, sign in and submit with
// JavaScript disabled, check no page scrolls sideways on a phone, and scan
// the pages with axe-core (testdata/axe-core, vendored from the npm
// registry), requiring zero violations.
//
// Screenshots of the main pages, desktop and phone, go to
// $RCM_SCREENSHOT_DIR when set (docs/screenshots holds a few of them).
package browsertest

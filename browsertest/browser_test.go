package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// axeSource is axe-core, injected into each page scanned.
//
//go:embed testdata/axe-core/axe.min.js
var axeSource string

// Phone is the width of the smallest phones in use; desktop a laptop's.
const (
	phoneWidth    = 360
	phoneHeight   = 780
	desktopWidth  = 1280
	desktopHeight = 900
)

// chromiumBin is the browser the tests drive: $RCM_CHROMIUM_BIN, else
// Debian's /usr/bin/chromium. A missing browser fails the test, saying how
// to install it; the browser tests never skip.
func chromiumBin(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("RCM_CHROMIUM_BIN")
	if bin == "" {
		bin = "/usr/bin/chromium"
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("no Chromium at %s (%v): install it with `apt-get install -y chromium` (scripts/test does), or set RCM_CHROMIUM_BIN", bin, err)
	}
	return bin
}

// tab is one browser page, with its own fresh browser profile.
type tab struct {
	t    *testing.T
	ctx  context.Context
	site *site
	name string
}

// newTab starts Chromium headless with a fresh profile and opens a page of
// width × height; js false disables JavaScript, as some people browse.
func newTab(t *testing.T, s *site, name string, width, height int64, js bool) *tab {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumBin(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(t.TempDir()),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(cancelCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelTimeout)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(width, height)), "start Chromium")
	if !js {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		require.NoError(t, err, "disable JavaScript")
	}
	return &tab{t: t, ctx: ctx, site: s, name: name}
}

// do runs steps on the page, failing the test on error.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	require.NoError(b.t, chromedp.Do(b.ctx, steps...), what)
}

// get runs an action that returns a value, failing the test on error.
func get[T any](b *tab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	require.NoError(b.t, err, what)
	return v
}

// open goes to a path of the site and waits for its body.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.site.url+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// location is the page's path and query.
func (b *tab) location() string {
	b.t.Helper()
	return strings.TrimPrefix(get(b, "read the location", chromedp.Location()), b.site.url)
}

// fill replaces the value of the input with id by text, typed key by key
// into the focused input. (Not chromedp.SendKeys: in chromedp v0.23.0 it
// reads the node's attributes before taking the node's lock, a data race
// with the DOM events the race detector reports.)
func (b *tab) fill(id, text string) {
	b.t.Helper()
	sel := chromedp.CSS("#" + id)
	b.do("type into #"+id, chromedp.WaitReady(sel), chromedp.Clear(sel), chromedp.Focus(sel), chromedp.KeyEvent(text))
}

// submit clicks the button and waits for the next page to load.
func (b *tab) submit(button string) {
	b.t.Helper()
	b.do("click "+button, chromedp.WaitVisible(chromedp.CSS(button)), chromedp.Click(chromedp.CSS(button)))
	b.do("wait for the next page", chromedp.Sleep(300*time.Millisecond), chromedp.WaitReady(chromedp.CSS("body")))
}

// signIn signs in with the sign-in page's form.
func (b *tab) signIn(email, next string) {
	b.t.Helper()
	b.open("/signin?next=" + next)
	b.fill("email", email)
	b.fill("password", password)
	b.submit("#signin button[type=submit]")
	require.Equal(b.t, next, b.location(), "signed in and sent on")
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *tab, expr string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	return get(b, "evaluate "+expr, chromedp.Evaluate[T](expr, opts...))
}

// attr returns an attribute of the first element matching sel, "" when it
// has none.
func (b *tab) attr(sel, name string) string {
	b.t.Helper()
	return get(b, "read "+sel+"@"+name, chromedp.AttributeValue(chromedp.CSS(sel), name)).Value
}

// text returns the text of the first element matching sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return get(b, "read "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// requireNoSidewaysScroll checks the page is no wider than the screen.
func (b *tab) requireNoSidewaysScroll(width int) {
	b.t.Helper()
	scroll := eval[int](b, `document.scrollingElement.scrollWidth`)
	require.LessOrEqual(b.t, scroll, width, "%s scrolls sideways at %d px", b.location(), width)
}

// axeViolation is what axe-core reports of a rule a page breaks.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// requireAccessible scans the page with axe-core (its default rules: WCAG
// 2 A and AA and best practices) and fails on any violation.
func (b *tab) requireAccessible() {
	b.t.Helper()
	require.True(b.t, eval[bool](b, axeSource+";typeof axe === 'object'"), "axe-core did not load")
	violations := eval[[]axeViolation](b, `axe.run(document).then(r => r.violations)`, chromedp.EvalAwaitPromise)
	if len(violations) == 0 {
		return
	}
	var report strings.Builder
	for _, v := range violations {
		fmt.Fprintf(&report, "\n%s (%s): %s", v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&report, "\n    %v %s", n.Target, n.HTML)
		}
	}
	b.t.Fatalf("axe-core finds %d violations on %s:%s", len(violations), b.location(), report.String())
}

// screenshot saves the whole page as $RCM_SCREENSHOT_DIR/<name>.png when
// the variable is set.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("RCM_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	png := get(b, "screenshot "+name, chromedp.FullScreenshot(100))
	require.NoError(b.t, os.MkdirAll(dir, 0o755))
	require.NoError(b.t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// Package browsertest gives a test a tab in a headless Chromium, driven with
// chromedp. The browser is launched for the test and closed when it ends. When
// no browser is installed the test skips with a line saying how to run it,
// or fails under LONTARA_TEST_STRICT=1 (as in .ci/run), through testenv.
//
// Use chromedp's own actions on the returned context:
//
//	ctx := browsertest.New(t)
//	err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.Click(chromedp.ID("masuk")))
//	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("judul")))
package browsertest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/testenv"
)

// Timeout bounds each test's use of the browser, so a page that never shows
// the element a test waits for fails the test instead of hanging the run.
const Timeout = 60 * time.Second

// PathEnv names the variable that points at the browser binary.
const PathEnv = "LONTARA_CHROMIUM"

// ScreenshotsEnv names the variable holding a directory: when it is set,
// Screenshot writes there, and a failing test leaves a screenshot of its last page.
const ScreenshotsEnv = "LONTARA_SCREENSHOTS"

const missingHow = "install chromium (scripts/chromium-install.sh) or set " + PathEnv

// New launches a headless Chromium for t and returns the context of its tab.
// The browser stops when the test ends, or after Timeout.
func New(t testing.TB) context.Context {
	t.Helper()
	path, ok := Path()
	if !ok {
		how := missingHow
		if env := os.Getenv(PathEnv); env != "" {
			how = PathEnv + "=" + env + " is not an executable file; " + how
		}
		testenv.Missing(t, "Chromium", how)
	}
	// A browser now and then dies while starting on a busy machine (seen in
	// CI: a crash within 0.2 s, the next start fine); try a fresh one twice
	// more before failing the test.
	var ctx context.Context
	var output *syncBuffer
	var err error
	for try := 1; try <= 3; try++ {
		ctx, output, err = launch(t, path)
		if err == nil {
			break
		}
		t.Logf("browsertest: start %s (try %d): %v", path, try, err)
	}
	if err != nil {
		t.Fatalf("browsertest: start %s: %v\n%s", path, err, output.tail())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("browser output:\n%s", output.tail())
			if os.Getenv(ScreenshotsEnv) != "" {
				Screenshot(t, ctx, "failed.png")
			}
		}
	})
	return ctx
}

// launch starts one browser and its tab. On failure the browser is
// stopped again and the error returned with its output.
func launch(t testing.TB, path string) (context.Context, *syncBuffer, error) {
	output := &syncBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		// The sandbox guards against hostile web content; these tests load only
		// their own pages from 127.0.0.1, and Chromium cannot sandbox itself as
		// root or in many containers.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// Keep the browser from calling Google's services: tests run offline.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// /dev/shm is tiny in containers; Chromium crashes tabs when it fills.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
		chromedp.CombinedOutput(output),
	}
	// The timeout sits above the allocator: when it ends the browser stops and
	// every later action fails with context.DeadlineExceeded.
	tctx, cancelT := context.WithTimeout(context.Background(), Timeout)
	actx, cancelA := chromedp.NewExecAllocator(tctx, opts...)
	ctx, cancel := chromedp.NewContext(actx)
	stop := func() { cancel(); cancelA(); cancelT() }
	if err := chromedp.Do(ctx); err != nil { // starts the browser now, so a launch failure says so
		stop()
		return nil, output, err
	}
	// Cleanups run last-registered first: close the tab and browser, then
	// wait for the process, then drop the timer (t.TempDir goes after all).
	t.Cleanup(cancelT)
	t.Cleanup(cancelA)
	t.Cleanup(cancel)
	return ctx, output, nil
}

// Do runs actions on the tab; when one fails, it keeps a screenshot named
// for step (see Screenshot) and fails the test.
func Do(t testing.TB, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		Screenshot(t, ctx, fileName(step)+".png")
		t.Fatalf("%s: %v", step, err)
	}
}

// Follow runs actions that load a new page (a click on a link, a submit)
// and waits for sel on that new page, then for the page to have loaded
// (Loaded), so the next step's actions hold live nodes. The old page is
// marked first, so an element that both pages have cannot satisfy the
// wait too early.
func Follow(t testing.TB, ctx context.Context, step, sel string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	mark := chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.left = "1"`)
	wait := chromedp.WaitVisible(chromedp.CSS(`html:not([data-left]) ` + sel))
	Do(t, ctx, step, append(append([]chromedp.Action[chromedp.Void]{mark}, actions...), wait, Loaded())...)
}

// Loaded waits until the tab's document has loaded, after a wait for an
// element of a page just navigated to (Follow does). Chromium discards every DOM node id
// it has handed out when a page's DOMContentLoaded fires (DOM.documentUpdated),
// after the element may already be visible: an action on a node found
// before then fails with "Could not find node with given id". A page whose
// load has fired sends no more such event, and chromedp's queries retry
// until they hold the ids of the new document.
func Loaded() chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`document.readyState === "complete"`)
}

// Path finds the browser: LONTARA_CHROMIUM when set, else /usr/bin/chromium,
// else chromium, chromium-browser or google-chrome on the PATH.
func Path() (string, bool) {
	if p := os.Getenv(PathEnv); p != "" {
		return p, isExecutable(p)
	}
	// Debian's /usr/bin/chromium is a shell wrapper around this binary; calling
	// the binary itself skips the wrapper's probing of /dev/shm.
	for _, p := range []string{"/usr/lib/chromium/chromium", "/usr/bin/chromium"} {
		if isExecutable(p) {
			return p, true
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// Screenshot saves a full-page PNG of the tab as DIR/<test name>-<name>, when
// LONTARA_SCREENSHOTS=DIR is set; otherwise it does nothing. It is for
// looking at what a test saw; a failure to take one is logged, not fatal.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv(ScreenshotsEnv)
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
	if err != nil {
		t.Logf("browsertest: screenshot %s: %v", name, err)
		return
	}
	file := filepath.Join(dir, fileName(t.Name())+"-"+name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("browsertest: screenshot: %v", err)
		return
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Logf("browsertest: screenshot: %v", err)
		return
	}
	t.Logf("screenshot: %s", file)
}

// fileName turns a test name such as TestSignIn/english into a file name.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '/', '\\', ' ', ':', '*', '?', '"', '<', '>', '|':
			return '_'
		}
		return r
	}, s)
}

// syncBuffer collects the browser's output; chromedp writes it from its own
// goroutine while the test may read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// tail returns the last few kilobytes of output, enough to see why a browser died.
func (b *syncBuffer) tail() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	if len(s) > 4096 {
		s = "…" + s[len(s)-4096:]
	}
	return s
}

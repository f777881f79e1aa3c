package browsertest_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/browsertest"
)

const page = `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Uji peramban</title></head>
<body><h1>Layanan Pengaduan</h1>
<input id="judul" aria-label="Judul">
<button id="kirim" onclick="document.getElementById('hasil').textContent='Tiket dibuat: '+document.getElementById('judul').value">Kirim</button>
<p id="hasil">belum ada tiket</p></body></html>`

// serve starts the page on 127.0.0.1 only, never on every interface.
func serve(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestClickChangesText(t *testing.T) {
	ctx := browsertest.New(t)
	url := serve(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("kirim"))); err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("hasil")))
	if err != nil {
		t.Fatal(err)
	}
	if before != "belum ada tiket" {
		t.Fatalf("before the click: got %q", before)
	}
	// Non-ASCII and an apostrophe must reach the page as typed.
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("judul"), "Dottoro'ta Ä"),
		chromedp.Click(chromedp.ID("kirim")),
	); err != nil {
		t.Fatal(err)
	}
	after, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("hasil")))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Tiket dibuat: Dottoro'ta Ä"; after != want {
		t.Fatalf("after the click: got %q, want %q", after, want)
	}
}

func TestScreenshotWritesPNGWhenAsked(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(browsertest.ScreenshotsEnv, dir)
	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(serve(t)), chromedp.WaitVisible(chromedp.ID("kirim"))); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "halaman.png")

	b, err := os.ReadFile(filepath.Join(dir, "TestScreenshotWritesPNGWhenAsked-halaman.png"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 8 || string(b[1:4]) != "PNG" {
		t.Fatalf("not a PNG: % x", b[:min(len(b), 8)])
	}
}

func TestPathHonoursVariable(t *testing.T) {
	t.Setenv(browsertest.PathEnv, filepath.Join(t.TempDir(), "no-such-browser"))
	if p, ok := browsertest.Path(); ok {
		t.Fatalf("Path() = %q, true for a file that does not exist", p)
	}
}

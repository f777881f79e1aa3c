package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lontara-id/lontara/internal/browsertest"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// page is what a browser shows: where it is, the heading, the main text and
// the document's language.
type page struct{ url, heading, main, lang string }

func look(t *testing.T, ctx context.Context, step string) page {
	t.Helper()
	// One script reads the whole page once it has loaded and has its
	// heading: reading it element by element races with a redirect's page
	// replacing the document, which chromedp reports as "No node with
	// given id found".
	type seen struct{ URL, Heading, Main, Lang string }
	v, err := chromedp.Run(ctx, chromedp.Poll[seen](`document.readyState === "complete" &&
		document.querySelector("h1") && document.querySelector("main") && {URL: location.href,
		Heading: document.querySelector("h1").innerText, Main: document.querySelector("main").innerText,
		Lang: document.documentElement.lang}`))
	if err != nil {
		browsertest.Screenshot(t, ctx, step)
		t.Fatalf("%s: %v", step, err)
	}
	return page{url: v.URL, heading: v.Heading, main: v.Main, lang: v.Lang}
}

// TestBrowserSignInAgenciesLanguageSignOut walks the first journey of every
// user in a real headless Chromium: open a page, get sent to sign in, sign
// in, see the city's agencies in Indonesian, switch to English, sign out.
func TestBrowserSignInAgenciesLanguageSignOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		h.Agency(t, "KEC-MARISO", "Kecamatan Mariso", "kecamatan")
		password := h.User(t, "andi.baso@makassarkota.go.id", "Andi Baso Dottoro'ta", policy.Superadmin, "KOMINFO")
		ctx := browsertest.New(t)

		browsertest.Do(t, ctx, "open", chromedp.Navigate(h.URL+"/opd"), chromedp.WaitVisible(chromedp.ID("f-email")))
		if p := look(t, ctx, "sign-in page"); p.heading != "Masuk ke Lontara" || p.lang != "id" || !strings.Contains(p.url, "/masuk?next=") {
			t.Errorf("sign-in page: %+v", p)
		}

		browsertest.Follow(t, ctx, "sign in", "#sign-out",
			chromedp.SendKeys(chromedp.ID("f-email"), "andi.baso@makassarkota.go.id"),
			chromedp.SendKeys(chromedp.ID("f-password"), password),
			chromedp.Submit(chromedp.ID("f-password")))
		p := look(t, ctx, "agencies")
		if !strings.HasSuffix(p.url, "/opd") || p.heading != "Daftar OPD" ||
			!strings.Contains(p.main, "Dinas Kesehatan") || !strings.Contains(p.main, "Kecamatan Mariso") {
			t.Errorf("after sign-in: %+v", p)
		}

		browsertest.Follow(t, ctx, "switch to English", `#sign-out`, chromedp.Click(chromedp.ID("lang-switch")))
		if p := look(t, ctx, "agencies in English"); p.heading != "Agencies" || !strings.HasSuffix(p.url, "/opd") {
			t.Errorf("in English: %+v", p)
		}

		browsertest.Follow(t, ctx, "sign out", "#f-email", chromedp.Click(chromedp.ID("sign-out")))
		if p := look(t, ctx, "signed out"); p.heading != "Sign in to Lontara" || !strings.Contains(p.url, "/masuk") {
			t.Errorf("after sign-out: %+v", p)
		}
		browsertest.Do(t, ctx, "the session is over",
			chromedp.Navigate(h.URL+"/opd"),
			chromedp.WaitVisible(chromedp.ID("f-email")))
	})
}

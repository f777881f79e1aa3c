package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// What contentSecurityPolicy blocks in a page: an inline script (a script
// tag without src), an event handler attribute, an inline style (attribute
// or element) and a javascript: URL. A tag is matched whole, so that a
// quoted ">" in an attribute is read as part of the tag.
var (
	tagRE          = regexp.MustCompile(`<[a-zA-Z][a-zA-Z0-9-]*(?:[^>"']|"[^"]*"|'[^']*')*>`)
	handlerAttrRE  = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	styleAttrRE    = regexp.MustCompile(`(?i)\sstyle\s*=`)
	scriptSrcRE    = regexp.MustCompile(`(?i)\ssrc\s*=`)
	javascriptURLs = regexp.MustCompile(`(?i)(href|src|action|formaction)\s*=\s*["']?\s*javascript:`)
)

// cspViolations lists what in the page text the CSP would block.
func cspViolations(text string) []string {
	var found []string
	for _, tag := range tagRE.FindAllString(text, -1) {
		lower := strings.ToLower(tag)
		switch {
		case strings.HasPrefix(lower, "<script") && !scriptSrcRE.MatchString(tag):
			found = append(found, "inline script: "+tag)
		case strings.HasPrefix(lower, "<style"):
			found = append(found, "style element: "+tag)
		case handlerAttrRE.MatchString(tag):
			found = append(found, "event handler attribute: "+tag)
		case styleAttrRE.MatchString(tag):
			found = append(found, "style attribute: "+tag)
		case javascriptURLs.MatchString(tag):
			found = append(found, "javascript: URL: "+tag)
		}
	}
	return found
}

func TestCSPViolationsFindsWhatTheCSPBlocks(t *testing.T) {
	for _, bad := range []string{
		`<script>alert(1)</script>`,
		`<SCRIPT type="module">x()</SCRIPT>`,
		`<button onclick="go()">`,
		`<body onload='x()'>`,
		`<p style="color:red">`,
		`<style>p{}</style>`,
		`<a href="javascript:void(0)">`,
		`<a title="a > b" onmouseover="x()">`,
	} {
		if len(cspViolations(bad)) == 0 {
			t.Errorf("%s: not found", bad)
		}
	}
	for _, good := range []string{
		`<script src="{{static "suggest.js"}}" defer></script>`,
		`<p class="one" data-style="x">online=yes</p>`,
		`<a href="/masuk" aria-label="onclick">`,
		`<input name="style">`,
	} {
		if v := cspViolations(good); len(v) != 0 {
			t.Errorf("%s: %v", good, v)
		}
	}
}

// TestTemplatesKeepToTheCSP reads every page template of every capability
// (internal/*/templates) and fails on anything contentSecurityPolicy would
// block, so that a page cannot quietly lose its script or its looks. The
// email templates (internal/channels/mail) are left out: mail clients read
// them, not under this policy, and they need inline styles. The static
// scripts are checked for eval, which script-src 'self' also blocks.
func TestTemplatesKeepToTheCSP(t *testing.T) {
	pages := 0
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p == filepath.Join("..", "channels", "mail") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.Contains(filepath.ToSlash(p), "/templates/") || !strings.HasSuffix(p, ".html") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		pages++
		for _, v := range cspViolations(string(b)) {
			t.Errorf("%s: %s", p, v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 100 {
		t.Fatalf("read %d templates; the walk missed the capabilities' templates", pages)
	}
	scripts, err := filepath.Glob("static/*.js")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("static scripts: %v %v", scripts, err)
	}
	evalRE := regexp.MustCompile(`\beval\s*\(|new\s+Function\s*\(|setTimeout\s*\(\s*["'\x60]`)
	for _, p := range scripts {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := evalRE.Find(b); m != nil {
			t.Errorf("%s: %q needs 'unsafe-eval', which the CSP does not allow", p, m)
		}
	}
}

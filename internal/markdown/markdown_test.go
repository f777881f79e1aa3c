package markdown_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/lontara-id/lontara/internal/markdown"
)

// allowed are the elements Render may answer with: what goldmark writes.
var allowed = []string{"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "code", "pre",
	"blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "input"}

// inert fails the test unless out is HTML in which nothing can run: only
// allowed elements, no event attributes or style, and every URL relative
// or http, https or mailto.
func inert(t *testing.T, src, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt == html.CommentToken {
			t.Errorf("%q: a comment survives: %s", src, out)
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if !slices.Contains(allowed, tok.Data) {
			t.Errorf("%q: element <%s> survives: %s", src, tok.Data, out)
		}
		for _, a := range tok.Attr {
			name := strings.ToLower(a.Key)
			if strings.HasPrefix(name, "on") || name == "style" || name == "srcset" || name == "formaction" {
				t.Errorf("%q: attribute %s survives: %s", src, name, out)
			}
			if name == "href" || name == "src" {
				u, err := url.Parse(a.Val)
				if err != nil || !slices.Contains([]string{"", "http", "https", "mailto"}, strings.ToLower(u.Scheme)) {
					t.Errorf("%q: URL %q survives: %s", src, a.Val, out)
				}
			}
			if name == "type" && a.Val != "checkbox" {
				t.Errorf("%q: an input of type %q survives: %s", src, a.Val, out)
			}
		}
	}
}

// vectors are the classic XSS attempts (the OWASP filter evasion cheat
// sheet's families) written in Markdown and in raw HTML inside Markdown.
var vectors = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>`,
	"<scr<script>ipt>alert(1)</scr</script>ipt>",
	`<img src=x onerror=alert(1)>`,
	`<IMG SRC="javascript:alert('XSS');">`,
	`<IMG SRC=JaVaScRiPt:alert('XSS')>`,
	`<img src="jav&#x09;ascript:alert(1)">`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<object data="x.swf"></object><embed src="x.swf">`,
	`<style>body{background:url(javascript:alert(1))}</style>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<body onload=alert(1)>`,
	`<details open ontoggle=alert(1)>`,
	`<form action="javascript:alert(1)"><button>x</button></form>`,
	`<input autofocus onfocus=alert(1)>`,
	`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<base href="javascript:alert(1)//">`,
	`<link rel=stylesheet href="javascript:alert(1)">`,
	`<!--<script>alert(1)</script>-->`,
	`<!-- --!><script>alert(1)</script> -->`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	`<?xml version="1.0"?><script>alert(1)</script>`,
	`[x](javascript:alert(1))`,
	`[x](JaVaScRiPt:alert(1))`,
	`[x]( javascript:alert(1) )`,
	`[x](<javascript:alert(1)>)`,
	`[x](&#106;avascript:alert(1))`,
	`[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))`,
	`[x](javascript&#58;alert(1))`,
	`[x](java%0ascript:alert(1))`,
	"[x](java\tscript:alert(1))",
	`[x](vbscript:msgbox(1))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[x](file:///etc/passwd)`,
	`![x](javascript:alert(1))`,
	`![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
	`![x"onerror="alert(1)](https://example.com/a.png)`,
	`[x](https://example.com "title\" onmouseover=\"alert(1)")`,
	"[x][r]\n\n[r]: javascript:alert(1)",
	"[x][r]\n\n[r]: <data:text/html,<script>alert(1)</script>>",
	`<javascript:alert(1)>`,
	`<JAVASCRIPT:alert(1)>`,
	`<vbscript:msgbox(1)>`,
	`javascript:alert(1) www.example.com/"onmouseover="alert(1)`,
	`*<span onmouseover=alert(1)>x</span>*`,
	`**_<a href="javascript:alert(1)" onclick="alert(1)">x</a>_**`,
	"# <img src=x onerror=alert(1)>",
	"| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
	"- [x] <img src=x onerror=alert(1)>",
	"```\"><script>alert(1)</script>\nx\n```",
	"``` onclick=alert(1)\nx\n```",
	"```javascript:alert(1)\nx\n```",
	"~~<iframe src=x>~~",
	"> <script>alert(1)</script>",
	"<div>\n\n[x](javascript:alert(1))\n\n</div>",
	"\x00<script>alert(1)</script>",
}

func TestNoScriptSurvivesRendering(t *testing.T) {
	for _, src := range vectors {
		out := string(markdown.Render(src))
		inert(t, src, out)
		low := strings.ToLower(out)
		for _, bad := range []string{"<script", "<iframe", "<svg", "<style", "<object", "<embed", "<form", "<!--"} {
			if strings.Contains(low, bad) {
				t.Errorf("%q renders %s", src, out)
			}
		}
	}
}

// FuzzRender checks the same invariant on inputs the fuzzer makes up
// (go test -fuzz FuzzRender ./internal/markdown); plain go test runs the
// vectors as its seeds.
func FuzzRender(f *testing.F) {
	for _, v := range vectors {
		f.Add(v)
	}
	for _, src := range amplifiers(40) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(markdown.Render(src))
		inert(t, src, out)
		if len(out) > maxGrowth*len(src)+1024 {
			t.Errorf("%d bytes of Markdown gave %d of HTML", len(src), len(out))
		}
	})
}

// maxGrowth bounds how many bytes of HTML a byte of Markdown may become:
// a bare "www.a.bc" link is the most there is (about 11).
const maxGrowth = 32

// amplifiers are sources that once repeated what they wrote n times
// over: short table rows padded to a wide header, and one link
// reference's address copied into every link naming it.
func amplifiers(n int) []string {
	return []string{
		strings.Repeat("|a", n) + "|\n" + strings.Repeat("|-", n) + "|\n" + strings.Repeat("|\n", n),
		"[x]: http://" + strings.Repeat("a", 20*n) + "\n\n" + strings.Repeat("[x]", 20*n),
		"![x][y]\n\n[y]: https://" + strings.Repeat("b", 20*n) + ` "` + strings.Repeat("t", 20*n) + "\"\n" +
			strings.Repeat("![x][y] ", 20*n),
	}
}

// TestRenderStaysInProportion checks the HTML of the amplifiers at the
// size of a long post: each once gave hundreds of bytes a byte.
func TestRenderStaysInProportion(t *testing.T) {
	for _, src := range amplifiers(500) {
		if out := markdown.Render(src); len(out) > maxGrowth*len(src)+1024 {
			t.Errorf("%d bytes of Markdown (%.40q…) gave %d of HTML", len(src), src, len(out))
		}
	}
	// Tables and links within proportion render whole.
	out := markdown.Render("| a | b |\n|---|---|\n| x |\n\n[ref]\n\n[ref]: https://kominfo.go.id")
	for _, want := range []string{"<td>x</td>\n<td></td>", `<a href="https://kominfo.go.id"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("%q lacks %q", out, want)
		}
	}
}

func TestMarkdownFeaturesRender(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"headings get prefixed anchor ids", "# Cara reset sandi\n\n## Dottoro'ta Ä\n\n## Dottoro'ta Ä",
			[]string{`<h1 id="md-cara-reset-sandi">Cara reset sandi</h1>`, `<h2 id="md-dottorota-ä">Dottoro&#39;ta Ä</h2>`,
				`<h2 id="md-dottorota-ä-1">`}},
		{"links within the article follow the prefix", "[lihat](#langkah)\n\n## Langkah",
			[]string{`<a href="#md-langkah" rel="nofollow">lihat</a>`, `<h2 id="md-langkah">`}},
		{"emphasis and strikethrough", "*miring* **tebal** ~~lama~~", []string{"<em>miring</em>", "<strong>tebal</strong>", "<del>lama</del>"}},
		{"lists", "- satu\n- dua\n\n1. pertama\n2. kedua", []string{"<ul>\n<li>satu</li>", "<ol>\n<li>pertama</li>"}},
		{"task lists are boxes nobody can tick", "- [x] selesai\n- [ ] belum",
			[]string{`<li><input checked="" disabled="" type="checkbox"> selesai</li>`, `<li><input disabled="" type="checkbox"> belum</li>`}},
		{"code blocks keep their language and escape", "```go\nif a < b && c {}\n```",
			[]string{`<pre><code class="language-go">if a &lt; b &amp;&amp; c {}`}},
		{"inline code escapes", "pakai `<script>`", []string{"<code>&lt;script&gt;</code>"}},
		{"tables with alignment", "| Aplikasi | Jumlah |\n|:--|--:|\n| SIMPEG | 12 |",
			[]string{"<table>", `<th align="left">Aplikasi</th>`, `<td align="right">12</td>`}},
		{"external links open safely", "[Kominfo](https://kominfo.go.id)",
			[]string{`<a href="https://kominfo.go.id" rel="nofollow noreferrer noopener" target="_blank">Kominfo</a>`}},
		{"relative links stay in the tab", "[tiket](/bantuan/baru)", []string{`<a href="/bantuan/baru" rel="nofollow">tiket</a>`}},
		{"mailto links", "[surel](mailto:helpdesk@makassarkota.go.id)",
			[]string{`<a href="mailto:helpdesk@makassarkota.go.id" rel="nofollow">surel</a>`}},
		{"autolinks", "lihat https://makassarkota.go.id dan www.example.com",
			[]string{`<a href="https://makassarkota.go.id" rel="nofollow noreferrer noopener" target="_blank">`,
				`<a href="http://www.example.com"`}},
		{"images", `![Layar masuk](/berkas/1.png "Masuk")`, []string{`<img src="/berkas/1.png" alt="Layar masuk" title="Masuk">`}},
		{"raw HTML is dropped, its text kept", "Tekan <kbd>Enter</kbd>.", []string{"<p>Tekan Enter.</p>"}},
		{"Indonesian text and non-ASCII round-trip", "Nur'aini dari Dottoro'ta menulis: \"Ärzte — ok\" & 100%",
			[]string{"<p>Nur&#39;aini dari Dottoro&#39;ta menulis: &#34;Ärzte — ok&#34; &amp; 100%</p>"}},
		{"blockquotes", "> kutipan", []string{"<blockquote>\n<p>kutipan</p>\n</blockquote>"}},
		{"empty", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := string(markdown.Render(c.src))
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("%q renders\n%s\nwant it to contain %s", c.src, out, w)
				}
			}
			inert(t, c.src, out)
		})
	}
}

// article is about 10 KB of a typical FAQ article: headings, paragraphs,
// lists, a table, links and code.
func article() string {
	var b strings.Builder
	for i := 0; b.Len() < 10<<10; i++ {
		fmt.Fprintf(&b, "## Langkah %d: masuk ke SIMPEG\n\nBuka [SIMPEG](https://simpeg.makassarkota.go.id) lalu pilih **Lupa sandi**. "+
			"Pegawai seperti Nur'aini dari Dottoro'ta menerima surel; *periksa* folder spam.\n\n"+
			"- isi NIP\n- isi tanggal lahir\n- [x] centang persetujuan\n\n"+
			"| Kolom | Isi |\n|---|---|\n| NIP | 18 angka |\n\n```sh\ncurl -s https://example.com/%d\n```\n\n", i, i)
	}
	return b.String()
}

func BenchmarkRender10KB(b *testing.B) {
	src := article()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		markdown.Render(src)
	}
}

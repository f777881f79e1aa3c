// Package markdown turns the Markdown people write (articles, and later
// threads and posts) into HTML that is safe to put in a page: CommonMark
// with the GitHub extensions (tables, strikethrough, autolinks, task
// lists), and no script surviving in any form.
//
// Safety is two layers that do not trust each other. goldmark renders
// without its unsafe option, so raw HTML in the source never reaches the
// output and javascript:, vbscript: and data: link targets are dropped;
// then a bluemonday allow-list keeps only the elements and attributes
// goldmark itself produces, with http, https, mailto and relative URLs.
// A bug or a new feature in one layer is caught by the other.
package markdown

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// IDPrefix starts every heading's anchor id, so an article's headings
// never take an id the page around it uses (a heading "Main" would
// otherwise become id="main", the skip link's target). Links within the
// article to "#x" are rewritten to "#"+IDPrefix+"x" to keep working.
const IDPrefix = "md-"

var (
	md = goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough, extension.Linkify, extension.TaskList),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	policy = newPolicy()
)

// newPolicy is the allow-list: bluemonday's policy for user content,
// narrowed to what goldmark writes, with every link marked nofollow and
// external links opening in a new tab without a handle on this one
// (noopener) or the address of the page they came from (noreferrer).
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w+#.-]{1,40}$`)).OnElements("code")
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^`+IDPrefix+`[\pL\pN_-]{0,100}$`)).
		OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	// A task list item's box: shown, never a form control anyone types in.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$`)).OnElements("input")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|center|right)$`)).OnElements("th", "td")
	return p
}

// Render turns Markdown into sanitized HTML. It never fails: whatever
// the source holds, the answer is inert HTML (the worst input renders as
// text or disappears).
func Render(src string) template.HTML {
	source := []byte(src)
	ctx := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	doc := md.Parser().Parse(text.NewReader(source), parser.WithContext(ctx))
	prefixLinks(doc)
	bound(doc, len(source))
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, source, doc); err != nil {
		// Only a failing writer errs, and a bytes.Buffer does not.
		return ""
	}
	return template.HTML(policy.SanitizeReader(&buf).String()) // #nosec G203 -- sanitized just now
}

// prefixLinks points in-article links ("#x") at the headings' ids,
// which carry IDPrefix.
func prefixLinks(doc ast.Node) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			if dest := string(l.Destination); strings.HasPrefix(dest, "#") && len(dest) > 1 {
				l.Destination = []byte("#" + IDPrefix + dest[1:])
			}
		}
		return ast.WalkContinue, nil
	})
}

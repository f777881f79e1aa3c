package markdown

import (
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// bound keeps the HTML of a document in proportion to its source, so
// that a post of 20,000 characters cannot cost the server hundreds of
// megabytes at each view. Two features of Markdown repeat what is written
// once, and both are cut back only when a document abuses them:
//
//   - The table extension pads every row to the header's width: a header
//     of n columns over n rows of "|" is 4n bytes and n² cells (3 KB of
//     Markdown gave 2.5 MB of HTML). When a document has more cells than
//     bytes, the empty cells that end a body row are dropped (HTML allows
//     a row shorter than the header).
//   - A link reference definition's address is copied into every link
//     that names it: "[x]: http://…" once and "[x]" a thousand times (4 KB
//     gave 0.5 MB). The addresses of a document's links are bounded to
//     twice its size, which written links never reach (their addresses
//     are in the source); links past that show as their text.
func bound(doc ast.Node, size int) {
	var rows, links []ast.Node
	cells, addrs := 0, 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *east.TableRow:
			rows = append(rows, n)
		case *east.TableCell:
			cells++
		case *ast.Link:
			if addrs += len(l.Destination) + len(l.Title); addrs > 2*size {
				links = append(links, n)
			}
		case *ast.Image:
			if addrs += len(l.Destination) + len(l.Title); addrs > 2*size {
				links = append(links, n)
			}
		}
		return ast.WalkContinue, nil
	})
	if cells > size {
		for _, row := range rows {
			for c := row.LastChild(); c != nil && c.ChildCount() == 0; c = row.LastChild() {
				row.RemoveChild(row, c)
			}
		}
	}
	for _, l := range links {
		unwrap(l)
	}
}

// unwrap puts n's children in its place.
func unwrap(n ast.Node) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	for c := n.FirstChild(); c != nil; c = n.FirstChild() {
		parent.InsertBefore(parent, n, c)
	}
	parent.RemoveChild(parent, n)
}

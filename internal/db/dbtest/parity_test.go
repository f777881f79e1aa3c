package dbtest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sqliteOnly marks a test that may run on SQLite alone, with the reason:
// `d := dbtest.SQLite(t) // sqlite-only: the -wal file is SQLite's`.
const sqliteOnly = "sqlite-only:"

// TestEveryTestRunsOnBothEngines keeps parity from eroding: a test outside
// the benchmarks that opens SQLite alone (dbtest.SQLite, or dbtest.DSN with
// db.SQLite) must say why on the call's line or the line above it; every
// other test runs on both engines (dbtest.Each, dbtest.DSN per engine).
func TestEveryTestRunsOnBothEngines(t *testing.T) {
	root := moduleRoot(t)
	var found int
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		for _, at := range unmarkedSQLiteCalls(t, path) {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s:%d: SQLite alone outside a benchmark; use dbtest.Each, or say why the test is SQLite's alone "+
				"in a %q comment", rel, at, sqliteOnly)
		}
		found++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 100 {
		t.Fatalf("read %d test files under %s; the walk went wrong", found, root)
	}
}

// unmarkedSQLiteCalls returns the lines of the file's calls opening SQLite
// that are neither in a benchmark (a function of *testing.B, or one inside
// it) nor marked sqlite-only.
func unmarkedSQLiteCalls(t *testing.T, path string) []int {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	marked := map[int]bool{}
	for _, g := range f.Comments {
		for _, c := range g.List {
			if strings.Contains(c.Text, sqliteOnly) {
				line := fset.Position(c.Pos()).Line
				marked[line], marked[line+1] = true, true
			}
		}
	}
	var lines []int
	var stack []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		if isSQLiteCall(n) && !inBenchmark(stack) {
			if line := fset.Position(n.Pos()).Line; !marked[line] {
				lines = append(lines, line)
			}
		}
		return true
	})
	return lines
}

// isSQLiteCall reports whether n opens SQLite alone: dbtest.SQLite(t) or
// dbtest.DSN(t, db.SQLite).
func isSQLiteCall(n ast.Node) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok || !isSelector(call.Fun, "dbtest", "SQLite") && !isSelector(call.Fun, "dbtest", "DSN") {
		return false
	}
	return isSelector(call.Fun, "dbtest", "SQLite") || len(call.Args) == 2 && isSelector(call.Args[1], "db", "SQLite")
}

func isSelector(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

// inBenchmark reports whether a function around the node takes a *testing.B.
func inBenchmark(stack []ast.Node) bool {
	for _, n := range stack {
		var ft *ast.FuncType
		switch fn := n.(type) {
		case *ast.FuncDecl:
			ft = fn.Type
		case *ast.FuncLit:
			ft = fn.Type
		default:
			continue
		}
		for _, p := range ft.Params.List {
			if star, ok := p.Type.(*ast.StarExpr); ok {
				if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "B" {
					return true
				}
			}
		}
	}
	return false
}

func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

package audit_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/reqctx"
)

func TestWriteAndList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := reqctx.With(context.Background(), reqctx.Request{ID: "req-1", IP: "203.0.113.5"})
		dinkes, disdik := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas"), dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", "dinas")
		cli := policy.SystemActor("test")
		type secretive struct {
			Name         string `json:"name"`
			PasswordHash string `json:"password_hash"`
			APIToken     string `json:"api_token"`
		}
		entries := make([]audit.Entry, 0, 250)
		for i := range 200 {
			entries = append(entries, audit.Entry{Action: "import", Entity: "employee", EntityID: int64(i + 1), AgencyID: dinkes,
				After: secretive{Name: "Nur'aini Ä", PasswordHash: "$argon2id$x", APIToken: "ltr_secret"}})
		}
		for i := range 50 {
			entries = append(entries, audit.Entry{Action: "update", Entity: "employee", EntityID: int64(1000 + i), AgencyID: disdik,
				Before: map[string]string{"name": "a"}, After: map[string]string{"name": "b"}})
		}
		if err := audit.WriteMany(ctx, d.W, cli, entries); err != nil {
			t.Fatal(err)
		}

		super := &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.Superadmin}}}
		all, next, err := audit.List(ctx, d, super, audit.Filter{}, db.Page{Limit: 500})
		if err != nil || len(all) != 250 || next != "" {
			t.Fatalf("superadmin sees %d entries, next %q, %v", len(all), next, err)
		}
		first := all[len(all)-1]
		if first.Actor != "system:test" || first.RequestID != "req-1" || first.IP != "203.0.113.5" || first.Before != nil {
			t.Errorf("oldest entry: %+v", first)
		}
		if after := *first.After; strings.Contains(after, "argon2") || strings.Contains(after, "ltr_secret") || !strings.Contains(after, "Nur'aini Ä") {
			t.Errorf("after_json kept a secret or lost the name: %s", after)
		}

		admin := &policy.Actor{AccountID: 2, AgencyID: disdik, Grants: []policy.Grant{{Role: policy.AgencyAdmin, AgencyID: disdik}}}
		mine, _, err := audit.List(ctx, d, admin, audit.Filter{}, db.Page{Limit: 500})
		if err != nil || len(mine) != 50 {
			t.Fatalf("agency admin sees %d entries, %v; want their agency's 50", len(mine), err)
		}
		placed := &policy.Actor{AccountID: 4, AgencyID: dinkes, Grants: []policy.Grant{{Role: policy.AgencyAdmin, AgencyID: disdik}}}
		if theirs, _, err := audit.List(ctx, d, placed, audit.Filter{}, db.Page{Limit: 500}); err != nil || len(theirs) != 50 {
			t.Errorf("an admin of Disdik working in Dinkes sees %d entries, %v; want Disdik's 50", len(theirs), err)
		}
		if _, _, err := audit.List(ctx, d, admin, audit.Filter{AgencyID: &dinkes}, db.Page{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("agency admin reading another agency: %v", err)
		}
		employee := &policy.Actor{AccountID: 3, AgencyID: disdik, Grants: []policy.Grant{{Role: policy.Employee, AgencyID: disdik}}}
		if _, _, err := audit.List(ctx, d, employee, audit.Filter{}, db.Page{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("employee reading the audit log: %v", err)
		}

		page1, next, err := audit.List(ctx, d, super, audit.Filter{}, db.Page{Limit: 100})
		if err != nil || len(page1) != 100 || next == "" {
			t.Fatalf("page 1: %d %q %v", len(page1), next, err)
		}
		page2, _, err := audit.List(ctx, d, super, audit.Filter{}, db.Page{Limit: 100, After: next})
		if err != nil || len(page2) != 100 || page2[0].ID >= page1[99].ID {
			t.Errorf("page 2 does not follow page 1: %v", err)
		}
	})
}

// TestEveryKindAndActionWrittenHasALabel: the log's page shows what an
// entry did to what in words; a kind or an action written anywhere in the
// code without a label in both languages would show as its code. Every
// audit.Entry{…} of the code is read from its syntax, whatever the order
// or the lines of its fields; an action held in a variable (helpdesk's
// kindOf) is not seen here.
func TestEveryKindAndActionWrittenHasALabel(t *testing.T) {
	seen := 0
	err := filepath.WalkDir("..", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || !isEntry(lit.Type, f.Name.Name) {
				return true
			}
			seen++
			for _, el := range lit.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, _ := kv.Key.(*ast.Ident)
				val, ok := kv.Value.(*ast.BasicLit)
				if key == nil || !ok || val.Kind != token.STRING {
					continue
				}
				prefix := map[string]string{"Action": "audit.act.", "Entity": "audit.ent."}[key.Name]
				code, _ := strconv.Unquote(val.Value)
				for _, lang := range []string{i18n.ID, i18n.EN} {
					if prefix != "" && !i18n.Has(lang, prefix+code) {
						t.Errorf("%s: %s has no %s label", path, prefix+code, lang)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil || seen < 150 {
		t.Fatalf("read %d entries written (%v); the walk no longer finds them", seen, err)
	}
}

// isEntry reports whether a composite literal's type is audit.Entry, as
// written in package pkg.
func isEntry(typ ast.Expr, pkg string) bool {
	switch t := typ.(type) {
	case *ast.SelectorExpr:
		x, ok := t.X.(*ast.Ident)
		return ok && x.Name == "audit" && t.Sel.Name == "Entry"
	case *ast.Ident:
		return pkg == "audit" && t.Name == "Entry"
	}
	return false
}

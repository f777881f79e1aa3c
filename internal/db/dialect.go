package db

import (
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	sqlite "modernc.org/sqlite"
)

// Dialect holds what differs between SQLite and PostgreSQL. Everything else is
// the common SQL both engines accept; keep this interface small.
type Dialect interface {
	// Engine names the engine.
	Engine() Engine
	// ContainsFold returns a condition that is true when column contains the
	// text bound to param, ignoring case. The caller binds the plain text; the
	// condition adds the wildcards.
	ContainsFold(column, param string) string
	// UniqueViolation reports whether err is a unique-constraint violation and
	// on what, as "table.column" ("employees.nip"; several columns are joined
	// with ", " as SQLite words them: "units.agency_id, units.name").
	UniqueViolation(err error) (key string, ok bool)
	// ForeignKeyViolation reports whether err is a foreign-key violation.
	ForeignKeyViolation(err error) bool
}

type sqliteDialect struct{}

func (sqliteDialect) Engine() Engine { return SQLite }

// SQLite's LIKE and lower() fold ASCII letters only, so "ä" would not find
// "Äisyah". lontara_fold lowers every Unicode letter in Go, which makes
// SQLite match as PostgreSQL's ILIKE does.
func (sqliteDialect) ContainsFold(column, param string) string {
	return "lontara_fold(" + column + ") LIKE '%' || lontara_fold(" + param + ") || '%' ESCAPE '\\'"
}

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("lontara_fold", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return strings.ToLower(v), nil
			case []byte:
				return strings.ToLower(string(v)), nil
			}
			return args[0], nil
		})
}

func (sqliteDialect) UniqueViolation(err error) (string, bool) {
	var e *sqlite.Error
	if !errors.As(err, &e) || e.Code() != 2067 && e.Code() != 1555 { // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
		return "", false
	}
	// "constraint failed: UNIQUE constraint failed: employees.email (2067)"
	msg := e.Error()
	const marker = "UNIQUE constraint failed: "
	if i := strings.Index(msg, marker); i >= 0 {
		key := msg[i+len(marker):]
		if j := strings.LastIndex(key, " ("); j >= 0 {
			key = key[:j]
		}
		return key, true
	}
	return "", true
}

func (sqliteDialect) ForeignKeyViolation(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == 787 // SQLITE_CONSTRAINT_FOREIGNKEY
}

type postgresDialect struct{}

func (postgresDialect) Engine() Engine { return Postgres }

func (postgresDialect) ContainsFold(column, param string) string {
	return column + " ILIKE '%' || " + param + " || '%' ESCAPE '\\'"
}

// UniqueViolation reads the columns from the detail PostgreSQL gives,
// "Key (email)=(a@b.id) already exists.", to word it as SQLite does.
func (postgresDialect) UniqueViolation(err error) (string, bool) {
	var e *pgconn.PgError
	if !errors.As(err, &e) || e.Code != "23505" {
		return "", false
	}
	cols, ok := strings.CutPrefix(e.Detail, "Key (")
	if i := strings.Index(cols, ")="); ok && i >= 0 {
		parts := strings.Split(cols[:i], ", ")
		for k, c := range parts {
			parts[k] = e.TableName + "." + c
		}
		return strings.Join(parts, ", "), true
	}
	return e.TableName, true
}

func (postgresDialect) ForeignKeyViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23503"
}

// EscapeLike escapes the wildcards of s for use with ContainsFold.
func EscapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

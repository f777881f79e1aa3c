package transfer

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// SetBeforeVerify sets the seam between the copy and the verification
// until the returned function restores it.
func SetBeforeVerify(f func(ctx context.Context, tx pgx.Tx) error) (restore func()) {
	old := beforeVerify
	beforeVerify = f
	return func() { beforeVerify = old }
}

// Canonical is a value's canonical text after normalizing it as the column
// kind of PostgreSQL's dataType, as the checksums encode it.
func Canonical(dataType string, v any) (string, error) {
	k, ok := kindOf(dataType)
	if !ok {
		return "", errUnknownType
	}
	n, err := normalize(k, v)
	if err != nil || n == nil {
		return "NULL", err
	}
	return string(canonical(k, n, nil)), nil
}

var errUnknownType = errors.New("unknown type")

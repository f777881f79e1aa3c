package helpdesk

import (
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/policy"
)

// deskRolesIn is the list of a query's `role IN (...)` for the roles that
// work the help desk (policy.HelpdeskRoles), as bound parameters numbered
// from first: "$2, $3, $4". Its arguments are deskRoleArgs().
func deskRolesIn(first int) string {
	var b strings.Builder
	for i := range policy.HelpdeskRoles {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(first+i))
	}
	return b.String()
}

// deskRoleArgs are the values bound to deskRolesIn's parameters, after
// the query's own arguments (args).
func deskRoleArgs(args ...any) []any {
	for _, r := range policy.HelpdeskRoles {
		args = append(args, string(r))
	}
	return args
}

package policy

// HelpdeskRoles are the roles that work the help desk: the same rule as
// TicketWork (a test holds the two together). Queries that pick the
// accounts working the desk (whom a ticket may be assigned to, who is on
// duty, whose replies are the desk's answers) bind this list as the
// parameters of their `role IN (...)`, so the rule is written only here.
var HelpdeskRoles = []Role{Agent, Expert, Superadmin}

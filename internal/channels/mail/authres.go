package mail

import (
	"strings"
)

// Who a mail is from is what its From: header says, and anyone can write
// any From:. The mail server in front of the listener checks SPF, DKIM and
// DMARC and writes what it found in an Authentication-Results header
// (RFC 8601) under its own name, the authserv-id, removing any header of
// that name the mail came with. With Inbox.TrustedAuthServ set to that
// name, a mail counts as from its From: address only when that server
// found it so (authenticated); any other mail is filed as from an outside
// contact, never as an employee nor into an existing ticket.

// authenticated reports whether the first Authentication-Results header of
// authserv in headers (the one its server wrote on top) says a check
// passed for the From: address's domain: DMARC for that header.from, or
// DKIM signed by (header.d) or SPF for a sender (smtp.mailfrom) of that
// domain, a domain above it or one below it (relaxed alignment, without a
// list of public suffixes: a sibling domain does not count).
func authenticated(headers []string, authserv, from string) bool {
	domain := mailDomain(from)
	if domain == "" || authserv == "" {
		return false
	}
	for _, h := range headers {
		server, results := parseAuthResults(h)
		if !strings.EqualFold(server, authserv) {
			continue
		}
		for _, r := range results {
			if r.result != "pass" {
				continue
			}
			switch r.method {
			case "dmarc":
				if d := r.props["header.from"]; d == "" || mailDomain(d) == domain {
					return true
				}
			case "dkim":
				if aligned(r.props["header.d"], domain) {
					return true
				}
			case "spf":
				if aligned(mailDomain(r.props["smtp.mailfrom"]), domain) {
					return true
				}
			}
		}
		return false // only its server's first header counts
	}
	return false
}

// mailDomain is the domain of an address, or a domain as it is, lower case.
func mailDomain(s string) string {
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	return strings.ToLower(strings.Trim(s, ". <>"))
}

// aligned reports whether domain d (checked) and the From: domain are the
// same or one lies under the other.
func aligned(d, from string) bool {
	d = mailDomain(d)
	return d != "" && (d == from || strings.HasSuffix(from, "."+d) || strings.HasSuffix(d, "."+from))
}

// authResult is one method's result in an Authentication-Results header.
type authResult struct {
	method, result string
	props          map[string]string // "header.d": "gmail.com"
}

// parseAuthResults reads an Authentication-Results header: its authserv-id
// and each method's result with its properties. Comments are dropped and
// quoted values unquoted; what does not parse is left out, which can only
// make a mail count as not authenticated.
func parseAuthResults(h string) (authserv string, results []authResult) {
	parts := strings.Split(uncomment(h), ";")
	if head := strings.Fields(parts[0]); len(head) > 0 {
		authserv = head[0]
	}
	for _, part := range parts[1:] {
		fields := strings.Fields(part)
		if len(fields) == 0 {
			continue
		}
		method, result, ok := strings.Cut(fields[0], "=")
		if !ok {
			continue // "none": no result
		}
		method, _, _ = strings.Cut(method, "/") // a method's version
		r := authResult{method: strings.ToLower(method), result: strings.ToLower(result), props: map[string]string{}}
		for _, f := range fields[1:] {
			if k, v, ok := strings.Cut(f, "="); ok {
				r.props[strings.ToLower(k)] = strings.Trim(v, `"`)
			}
		}
		results = append(results, r)
	}
	return authserv, results
}

// uncomment drops the (comments) of a header, which may nest.
func uncomment(h string) string {
	var b strings.Builder
	depth, quoted := 0, false
	for _, r := range h {
		switch {
		case r == '"' && depth == 0:
			quoted = !quoted
		case r == '(' && !quoted:
			depth++
			continue
		case r == ')' && !quoted && depth > 0:
			depth--
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

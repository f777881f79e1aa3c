package mail

import (
	"strings"
)

// Who a mail is from is what its From: header says, and anyone can write
// any From:. The mail server in front of the listener checks SPF, DKIM and
// DMARC and writes what it found in Authentication-Results headers (RFC
// 8601) under its own name, the authserv-id, removing any header of that
// name the mail came with. With Inbox.TrustedAuthServ set to that name, a
// mail counts as from its From: address only when that server found DMARC
// passing for the address's domain (authenticated); any other mail is
// filed as from an outside contact, never as an employee nor into an
// existing ticket.
//
// DMARC alone decides: it is the check of the From: domain itself, with
// SPF and DKIM aligned to it, done by the server. A server writes values
// the sender chose (the envelope sender, the HELO name) into its headers,
// and one that writes them unquoted lets a sender add text that reads as
// a result of its own; so every DMARC result the trusted server gave for
// the domain must be a pass, and a "pass" added beside its real "fail" or
// "none" counts for nothing. A domain without a DMARC record (the server
// says "none") is not authenticated: publish one, p=none is enough.

// authenticated reports whether the trusted server authserv, in its
// Authentication-Results headers among headers, found DMARC passing for
// the From: address from, and nothing else of DMARC for its domain.
func authenticated(headers []string, authserv, from string) bool {
	domain := mailDomain(from)
	if domain == "" || authserv == "" {
		return false
	}
	passed := false
	for _, h := range headers {
		server, results := parseAuthResults(h)
		if !strings.EqualFold(server, authserv) {
			continue
		}
		for _, r := range results {
			if r.method != "dmarc" {
				continue
			}
			if d := r.props["header.from"]; d != "" && mailDomain(d) != domain {
				continue // another domain's
			}
			if r.result != "pass" {
				return false
			}
			passed = true
		}
	}
	return passed
}

// mailDomain is the domain of an address, or a domain as it is, lower case.
func mailDomain(s string) string {
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	return strings.ToLower(strings.Trim(s, ". <>"))
}

// authResult is one method's result in an Authentication-Results header.
type authResult struct {
	method, result string
	props          map[string]string // "header.from": "makassarkota.go.id"
}

// parseAuthResults reads an Authentication-Results header: its authserv-id
// and each method's result with its properties. Comments are dropped and
// quoted strings kept whole (a ";" inside one splits nothing); what does
// not parse is left out, which can only make a mail count as not
// authenticated.
func parseAuthResults(h string) (authserv string, results []authResult) {
	parts := splitResults(h)
	if len(parts) == 0 {
		return "", nil
	}
	if head := parts[0]; len(head) > 0 {
		authserv = head[0]
	}
	for _, fields := range parts[1:] {
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
				r.props[strings.ToLower(k)] = v
			}
		}
		results = append(results, r)
	}
	return authserv, results
}

// splitResults cuts a header into its ";"-separated parts, each a list of
// words, as RFC 5322 reads them: a (comment), which may nest, is left out,
// a "quoted string" is one word (unquoted) whatever it holds, and a
// backslash takes the next character as it is in either.
func splitResults(h string) [][]string {
	var parts [][]string
	var words []string
	var word strings.Builder
	inWord, quoted, depth, escaped := false, false, 0, false
	endWord := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	for _, r := range h {
		switch {
		case escaped:
			escaped = false
			if depth == 0 {
				word.WriteRune(r)
				inWord = true
			}
		case r == '\\' && (quoted || depth > 0):
			escaped = true
		case quoted:
			if r == '"' {
				quoted = false
			} else {
				word.WriteRune(r)
			}
		case depth > 0:
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			}
		case r == '"':
			quoted, inWord = true, true
		case r == '(':
			endWord()
			depth++
		case r == ';':
			endWord()
			parts = append(parts, words)
			words = nil
		case r == ' ' || r == '\t' || r == '\r' || r == '\n':
			endWord()
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	endWord()
	return append(parts, words)
}

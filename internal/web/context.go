package web

import (
	"context"
	"net/http"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
)

// reqInfo is what the middleware learns about a request, kept in its context.
type reqInfo struct {
	srv      *Server
	id       string
	clientIP string
	actor    *policy.Actor
	lang     string // the UI language: cookie, then the account's, then Indonesian
	apiLang  string // the API language: Accept-Language, then Indonesian
	csrf     string // the session's CSRF token; "" for token or anonymous requests
	session  string // the session cookie's value, for sign-out
}

type infoKey struct{}

func info(ctx context.Context) *reqInfo {
	if ri, ok := ctx.Value(infoKey{}).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{lang: i18n.ID, apiLang: i18n.ID}
}

// RequestID returns the id the middleware gave the request ("" outside one).
func RequestID(ctx context.Context) string { return info(ctx).id }

// Actor returns who is making the request, or nil when nobody is signed in.
func Actor(r *http.Request) *policy.Actor { return info(r.Context()).actor }

// Lang returns the language to answer a page request in.
func Lang(r *http.Request) string { return info(r.Context()).lang }

// ClientIP returns the client's address, as seen through trusted proxies.
func ClientIP(r *http.Request) string { return info(r.Context()).clientIP }

// SessionToken returns the session cookie's value of a signed-in page request.
func SessionToken(r *http.Request) string { return info(r.Context()).session }

func apiLang(r *http.Request) string { return info(r.Context()).apiLang }

// APILang returns the language an API request asked for in
// Accept-Language (Indonesian when it asked for none we have).
func APILang(r *http.Request) string { return apiLang(r) }

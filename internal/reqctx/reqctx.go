// Package reqctx carries what is known about the request behind an action —
// its id and the client's address — from the web layer to the parts that
// record it (the audit log, logs), without those parts importing the web layer.
package reqctx

import "context"

// Request identifies the request behind an action.
type Request struct {
	ID string
	IP string
}

type key struct{}

// With attaches r to ctx.
func With(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, key{}, r)
}

// From returns the request attached to ctx; the zero Request outside one
// (a CLI command, a background job).
func From(ctx context.Context) Request {
	r, _ := ctx.Value(key{}).(Request)
	return r
}

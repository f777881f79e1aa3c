package web

import "github.com/lontara-id/lontara/internal/errs"

// Worded is an argument of an error that a page shows in words of the
// page's language, while the API prints it as it formats (%s): a "one_of"
// error's allowed codes are "new, open, …" for a client that sends them
// and "Baru, Dikerjakan, …" for a person reading the form.
type Worded interface {
	Words(lang string) string
}

// pageMessage is the message of a field at fault as a page shows it: the
// arguments that have words are shown by their words.
func pageMessage(lang string, f errs.Field) string {
	var args []any
	for i, a := range f.Args {
		if w, ok := a.(Worded); ok {
			if args == nil {
				args = append([]any(nil), f.Args...)
			}
			args[i] = w.Words(lang)
		}
	}
	if args != nil {
		f.Args = args
	}
	return f.Message(lang)
}
